import { useMutation, useQueryClient } from '@tanstack/react-query';

import { tasksUpdateTaskMutation } from '@/client/@tanstack/react-query.gen';
import { operationKey } from '@/lib/api/operationKey';

export function useUpdateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    ...tasksUpdateTaskMutation(),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: operationKey('tasksListTasks') }),
        queryClient.invalidateQueries({ queryKey: operationKey('contactsGetTimeline') }),
      ]);
    },
  });
}
