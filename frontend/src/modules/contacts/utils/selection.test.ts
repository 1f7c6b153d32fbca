import { describe, expect, it } from 'vitest';

import type { ContactSelection } from '../types/ContactSelection';
import { ALL_MATCHING, EMPTY_SELECTION, isSelected, loadedState, selectedCount, toggle, toggleLoaded } from './selection';
import { selectionTarget } from './selectionTarget';

const ROWS = ['a', 'b', 'c', 'd', 'e'];

function picked(selection: ContactSelection): string[] {
  return selection.mode === 'picked' ? [...selection.ids].sort() : ['<matching>'];
}

function excluded(selection: ContactSelection): string[] {
  return selection.mode === 'matching' ? [...selection.excluded].sort() : ['<picked>'];
}

describe('contact selection', () => {
  it('flips single rows and remembers the last one clicked', () => {
    let selection = toggle(EMPTY_SELECTION, 'b', false, ROWS);
    selection = toggle(selection, 'd', false, ROWS);
    expect(picked(selection)).toEqual(['b', 'd']);
    selection = toggle(selection, 'b', false, ROWS);
    expect(picked(selection)).toEqual(['d']);
    expect(selection).toMatchObject({ anchor: 'b' });
  });

  it('selects the range from the last click to a shift-click, in either direction', () => {
    const down = toggle(toggle(EMPTY_SELECTION, 'b', false, ROWS), 'd', true, ROWS);
    expect(picked(down)).toEqual(['b', 'c', 'd']);
    const up = toggle(toggle(EMPTY_SELECTION, 'e', false, ROWS), 'c', true, ROWS);
    expect(picked(up)).toEqual(['c', 'd', 'e']);
  });

  it('clears a range when the shift-clicked row was selected', () => {
    const all = toggleLoaded(EMPTY_SELECTION, ROWS);
    const cleared = toggle(toggle(all, 'a', false, ROWS), 'c', true, ROWS);
    expect(picked(cleared)).toEqual(['d', 'e']);
  });

  it('treats a shift-click without an earlier click as a single click', () => {
    expect(picked(toggle(EMPTY_SELECTION, 'c', true, ROWS))).toEqual(['c']);
  });

  it('toggles every loaded row from the header and reports all, some or none', () => {
    expect(loadedState(EMPTY_SELECTION, ROWS)).toBe('none');
    const all = toggleLoaded(EMPTY_SELECTION, ROWS);
    expect(loadedState(all, ROWS)).toBe('all');
    expect(loadedState(toggle(all, 'a', false, ROWS), ROWS)).toBe('some');
    expect(picked(toggleLoaded(all, ROWS))).toEqual([]);
    expect(picked(toggleLoaded(toggle(EMPTY_SELECTION, 'a', false, ROWS), ROWS))).toEqual(ROWS);
  });

  it('counts every matching contact, not only the loaded rows, once all matching are chosen', () => {
    expect(selectedCount(ALL_MATCHING, 1_000_000)).toBe(1_000_000);
    expect(isSelected(ALL_MATCHING, 'not-loaded')).toBe(true);
    expect(loadedState(ALL_MATCHING, ROWS)).toBe('all');
    expect(selectedCount(toggleLoaded(EMPTY_SELECTION, ROWS), 1_000_000)).toBe(5);
  });

  it('leaves rows unticked after "all matching" out of it and counts N − k', () => {
    const unticked = toggle(toggle(ALL_MATCHING, 'b', false, ROWS), 'd', false, ROWS);
    expect(unticked).toMatchObject({ mode: 'matching' });
    expect(excluded(unticked)).toEqual(['b', 'd']);
    expect(selectedCount(unticked, 1_000)).toBe(998);
    expect(isSelected(unticked, 'b')).toBe(false);
    expect(isSelected(unticked, 'not-loaded')).toBe(true);
    expect(loadedState(unticked, ROWS)).toBe('some');
    // Ticked again: no longer left out.
    expect(excluded(toggle(unticked, 'b', false, ROWS))).toEqual(['d']);
  });

  it('unticks a shift-clicked range out of all matching', () => {
    const range = toggle(toggle(ALL_MATCHING, 'a', false, ROWS), 'c', true, ROWS);
    expect(excluded(range)).toEqual(['a', 'b', 'c']);
    expect(selectedCount(range, 10)).toBe(7);
  });

  it('ticks the unticked rows again from the header, then clears', () => {
    const unticked = toggle(ALL_MATCHING, 'c', false, ROWS);
    const again = toggleLoaded(unticked, ROWS);
    expect(excluded(again)).toEqual([]);
    expect(again).toMatchObject({ mode: 'matching' });
    expect(toggleLoaded(again, ROWS)).toBe(EMPTY_SELECTION);
  });

  it('sends the filter with the unticked rows, or the picked ids', () => {
    const search = { stage: 'lead' as const };
    expect(selectionTarget(ALL_MATCHING, search)).toEqual({ filter: { lifecycle_stage: 'lead' } });
    expect(selectionTarget(toggle(ALL_MATCHING, 'c', false, ROWS), search)).toEqual({
      filter: { lifecycle_stage: 'lead' },
      exclude_ids: ['c'],
    });
    expect(selectionTarget(toggle(EMPTY_SELECTION, 'c', false, ROWS), search)).toEqual({ contact_ids: ['c'] });
  });
});
