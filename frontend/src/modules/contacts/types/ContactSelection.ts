/**
 * What the bulk actions apply to: the rows picked one by one (`anchor` is the last row
 * clicked, where a shift-click range starts), or every contact the list's filters match.
 */
export type ContactSelection =
  | { mode: 'picked'; ids: ReadonlySet<string>; anchor: string | null }
  | { mode: 'matching' };
