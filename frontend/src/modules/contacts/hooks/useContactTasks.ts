import { useQuery } from '@tanstack/react-query';

import { tasksListTasksOptions } from '@/client/@tanstack/react-query.gen';

/** The contact's tasks, open and done; the list orders them by due date. */
export function useContactTasks(contactId: string) {
  return useQuery(tasksListTasksOptions({ query: { contact_id: contactId, limit: 100 } }));
}
