/** The moment `months` calendar months before now, at the start of that day (UTC), as the API takes it. */
export function monthsAgo(months: number, now: Date = new Date()): string {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, now.getUTCDate()));
  return start.toISOString();
}
