import { useMutation } from '@tanstack/react-query';

import { tasksCreateTaskMutation } from '@/client/@tanstack/react-query.gen';

import { useInvalidate } from './useInvalidate';

export function useCreateTask() {
  const invalidate = useInvalidate();
  return useMutation({ ...tasksCreateTaskMutation(), onSuccess: () => invalidate('tasksListTasks', 'contactsGetTimeline') });
}
