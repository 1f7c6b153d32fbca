/** Soonest due first, so overdue work leads; the API's own order differs per kind of item. */
export function byDueDate<T extends { due_at: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at));
}

export function isOverdue(dueAt: string, now: Date = new Date()): boolean {
  return Date.parse(dueAt) < now.getTime();
}
