import { useMutation } from '@tanstack/react-query';

import { contactsChurnContactMutation, contactsWinBackContactMutation } from '@/client/@tanstack/react-query.gen';

import { useInvalidate } from './useInvalidate';

// The timeline shows each churn and win-back.
const AFFECTED = ['contactsGetContact', 'contactsListContacts', 'contactsGetTimeline', 'analyticsGetCustomer'];

export function useChurnActions() {
  const invalidate = useInvalidate();
  const churn = useMutation({ ...contactsChurnContactMutation(), onSuccess: () => invalidate(...AFFECTED) });
  const winBack = useMutation({ ...contactsWinBackContactMutation(), onSuccess: () => invalidate(...AFFECTED) });
  return { churn, winBack };
}
