import type { ContactSelection } from '../types/ContactSelection';

export const EMPTY_SELECTION: ContactSelection = { mode: 'picked', ids: new Set(), anchor: null };

export function isSelected(selection: ContactSelection, id: string): boolean {
  return selection.mode === 'matching' || selection.ids.has(id);
}

/** How many rows are picked; every matching one counts as `matching`. */
export function selectedCount(selection: ContactSelection, matching: number): number {
  return selection.mode === 'matching' ? matching : selection.ids.size;
}

/**
 * A click on a row's checkbox. Without shift it flips the row. With shift, every row from
 * the last one clicked to this one (in the list's order) takes the state the clicked row
 * gets, as in a file manager. Picking a row while "all matching" is on starts from the
 * loaded rows, all picked, and then flips the row.
 */
export function toggle(
  selection: ContactSelection,
  id: string,
  shift: boolean,
  order: readonly string[],
): ContactSelection {
  const ids = new Set(selection.mode === 'matching' ? order : selection.ids);
  const anchor = selection.mode === 'picked' ? selection.anchor : null;
  const select = !ids.has(id);
  const from = anchor === null ? -1 : order.indexOf(anchor);
  const to = order.indexOf(id);
  if (shift && from !== -1 && to !== -1) {
    const [start, end] = from < to ? [from, to] : [to, from];
    for (const rowId of order.slice(start, end + 1)) {
      if (select) ids.add(rowId);
      else ids.delete(rowId);
    }
  } else if (select) {
    ids.add(id);
  } else {
    ids.delete(id);
  }
  return { mode: 'picked', ids, anchor: id };
}

/** The header checkbox: every loaded row, or none when they all are picked already. */
export function toggleLoaded(selection: ContactSelection, order: readonly string[]): ContactSelection {
  const all = selection.mode === 'matching' || (order.length > 0 && order.every((id) => selection.ids.has(id)));
  return all ? EMPTY_SELECTION : { mode: 'picked', ids: new Set(order), anchor: null };
}

/** The header checkbox's state: all, some or none of the loaded rows. */
export function loadedState(selection: ContactSelection, order: readonly string[]): 'all' | 'some' | 'none' {
  if (selection.mode === 'matching') return 'all';
  const picked = order.filter((id) => selection.ids.has(id)).length;
  if (picked === 0) return 'none';
  return picked === order.length ? 'all' : 'some';
}
