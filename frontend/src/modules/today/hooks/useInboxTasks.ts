import { useQuery } from '@tanstack/react-query';

import { tasksListTasksOptions } from '@/client/@tanstack/react-query.gen';

import type { InboxScope } from '../types/InboxScope';

const INBOX_SIZE = 100;

export function useInboxTasks(scope: InboxScope, userId: string | undefined) {
  const who = scope === 'mine' ? { assignee_id: userId } : { unassigned: true };
  return useQuery({
    // The API lists tasks soonest due first, so overdue ones lead already.
    ...tasksListTasksOptions({ query: { status: 'open', limit: INBOX_SIZE, ...who } }),
    enabled: scope === 'unassigned' || userId !== undefined,
    select: (page) => page.items,
  });
}
