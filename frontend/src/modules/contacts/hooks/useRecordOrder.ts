import { useMutation } from '@tanstack/react-query';

import { ordersRecordOrderMutation } from '@/client/@tanstack/react-query.gen';

import { useInvalidate } from './useInvalidate';

export function useRecordOrder() {
  const invalidate = useInvalidate();
  return useMutation({
    ...ordersRecordOrderMutation(),
    // A first order also makes a lead a customer; analytics catches up from the event.
    onSuccess: () =>
      invalidate('ordersListOrders', 'contactsGetTimeline', 'contactsGetContact', 'analyticsGetCustomer', 'tasksListTasks'),
  });
}
