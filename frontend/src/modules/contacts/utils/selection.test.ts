import { describe, expect, it } from 'vitest';

import type { ContactSelection } from '../types/ContactSelection';
import { EMPTY_SELECTION, isSelected, loadedState, selectedCount, toggle, toggleLoaded } from './selection';

const ROWS = ['a', 'b', 'c', 'd', 'e'];

function picked(selection: ContactSelection): string[] {
  return selection.mode === 'picked' ? [...selection.ids].sort() : ['<matching>'];
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
    const matching: ContactSelection = { mode: 'matching' };
    expect(selectedCount(matching, 1_000_000)).toBe(1_000_000);
    expect(isSelected(matching, 'not-loaded')).toBe(true);
    expect(loadedState(matching, ROWS)).toBe('all');
    // Unpicking one row falls back to the loaded rows minus that one.
    expect(picked(toggle(matching, 'c', false, ROWS))).toEqual(['a', 'b', 'd', 'e']);
    expect(selectedCount(toggleLoaded(EMPTY_SELECTION, ROWS), 1_000_000)).toBe(5);
  });
});
