import { createFileRoute } from '@tanstack/react-router';

import { AnswerPage } from '@/modules/answer/components/AnswerPage';

// Outside /_app: customers reach it from the invitation link, without a login.
export const Route = createFileRoute('/s/$token')({
  component: AnswerPage,
});
