import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  webhooksCreateWebhookMutation,
  webhooksListDeliveriesInfiniteOptions,
  webhooksListWebhooksOptions,
  webhooksRedeliverMutation,
  webhooksRotateSecretMutation,
  webhooksSendTestMutation,
  webhooksUpdateWebhookMutation,
} from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';
import { useCursorList } from '@/lib/api/useCursorList';

const DELIVERIES_PAGE_SIZE = 25;
const PENDING_REFRESH_MS = 3000;

export function useWebhooks() {
  return useQuery({ ...webhooksListWebhooksOptions({ query: { limit: 500 } }), select: (page) => page.items });
}

function useInvalidate(operationId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: operationKey(operationId) });
}

export function useCreateWebhook() {
  const invalidate = useInvalidate('webhooksListWebhooks');
  return useMutation({ ...webhooksCreateWebhookMutation(), onSuccess: invalidate });
}

export function useUpdateWebhook() {
  const invalidate = useInvalidate('webhooksListWebhooks');
  return useMutation({ ...webhooksUpdateWebhookMutation(), onSuccess: invalidate });
}

export function useRotateSecret() {
  const invalidate = useInvalidate('webhooksListWebhooks');
  return useMutation({ ...webhooksRotateSecretMutation(), onSuccess: invalidate });
}

export function useSendTest() {
  const invalidate = useInvalidate('webhooksListDeliveries');
  return useMutation({ ...webhooksSendTestMutation(), onSuccess: invalidate });
}

export function useRedeliver() {
  const invalidate = useInvalidate('webhooksListDeliveries');
  return useMutation({ ...webhooksRedeliverMutation(), onSuccess: invalidate });
}

/** One endpoint's deliveries, newest first, with every attempt. */
export function useDeliveries(webhookId: string) {
  const path = { webhook_id: webhookId };
  return useCursorList(
    webhooksListDeliveriesInfiniteOptions({ path, query: { limit: DELIVERIES_PAGE_SIZE } }),
    { path, query: {} },
    // A queued delivery (a test, a redelivery) gets its attempt within seconds: show it without a reload.
    (data) =>
      data?.pages.some((page) => page.items.some((delivery) => delivery.status === 'pending')) ? PENDING_REFRESH_MS : false,
  );
}
