/**
 * What the bulk actions apply to: the rows picked one by one, or every contact the list's
 * filters match but the rows unticked since (`excluded`). `anchor` is the last row clicked,
 * where a shift-click range starts.
 */
export type ContactSelection =
  | { mode: 'picked'; ids: ReadonlySet<string>; anchor: string | null }
  | { mode: 'matching'; excluded: ReadonlySet<string>; anchor: string | null };
