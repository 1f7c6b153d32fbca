import type { ContactSelection } from '../types/ContactSelection';

export const EMPTY_SELECTION: ContactSelection = { mode: 'picked', ids: new Set(), anchor: null };
export const ALL_MATCHING: ContactSelection = { mode: 'matching', excluded: new Set(), anchor: null };

export function isSelected(selection: ContactSelection, id: string): boolean {
  return selection.mode === 'matching' ? !selection.excluded.has(id) : selection.ids.has(id);
}

/** How many rows are selected: with all `matching` ones chosen, those less the rows unticked. */
export function selectedCount(selection: ContactSelection, matching: number): number {
  return selection.mode === 'matching' ? Math.max(matching - selection.excluded.size, 0) : selection.ids.size;
}

/**
 * A click on a row's checkbox. Without shift it flips the row. With shift, every row from
 * the last one clicked to this one (in the list's order) takes the state the clicked row
 * gets, as in a file manager. While "all matching" is on, a click unticks (or ticks again)
 * rows, which are then left out of it.
 */
export function toggle(
  selection: ContactSelection,
  id: string,
  shift: boolean,
  order: readonly string[],
): ContactSelection {
  const matching = selection.mode === 'matching';
  // The rows the click changes the set of: those picked, or those left out of all matching.
  const marked = new Set(matching ? selection.excluded : selection.ids);
  const mark = isSelected(selection, id) === matching;
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(id);
  const range = shift && from !== -1 && to !== -1 ? order.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
  for (const rowId of range) {
    if (mark) marked.add(rowId);
    else marked.delete(rowId);
  }
  return matching ? { mode: 'matching', excluded: marked, anchor: id } : { mode: 'picked', ids: marked, anchor: id };
}

/**
 * The header checkbox: every loaded row, or none when they all are selected already. With
 * all matching chosen and some rows unticked, it ticks them again.
 */
export function toggleLoaded(selection: ContactSelection, order: readonly string[]): ContactSelection {
  if (selection.mode === 'matching') {
    return order.some((id) => selection.excluded.has(id)) ? ALL_MATCHING : EMPTY_SELECTION;
  }
  const all = order.length > 0 && order.every((id) => selection.ids.has(id));
  return all ? EMPTY_SELECTION : { mode: 'picked', ids: new Set(order), anchor: null };
}

/** The header checkbox's state: all, some or none of the loaded rows. */
export function loadedState(selection: ContactSelection, order: readonly string[]): 'all' | 'some' | 'none' {
  const selected = order.filter((id) => isSelected(selection, id)).length;
  if (selected === 0) return 'none';
  return selected === order.length ? 'all' : 'some';
}
