import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';

import { problemNotice } from '@/lib/api/problemNotice';

/** A red notification about a failed request: translated title by problem type, server detail below. */
export function notifyProblem(error: unknown, t: TFunction): void {
  notifications.show({ color: 'red', ...problemNotice(error, t) });
}
