import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { Role } from '@/client';
import { renderWithProviders } from '@/test/renderWithProviders';

import { ALL_MATCHING, EMPTY_SELECTION, toggle } from '../utils/selection';
import { BulkBar, type BulkBarProps } from './BulkBar';

function renderBar(props: Partial<BulkBarProps>) {
  renderWithProviders(
    <BulkBar
      selection={toggle(EMPTY_SELECTION, 'a', false, ['a'])}
      selected={1}
      matching={1_000}
      role="admin"
      exporting={false}
      onSelectMatching={vi.fn()}
      onClear={vi.fn()}
      onTool={vi.fn()}
      {...props}
    />,
  );
}

function tools(): string[] {
  return screen
    .getAllByRole('button')
    .map((button) => button.textContent)
    .filter((text) => !/select|clear/i.test(text));
}

describe('BulkBar', () => {
  it.each<[Role, string[]]>([
    ['admin', ['Add tag', 'Remove tag', 'Set owner', 'Set stage', 'Invite to survey', 'Export CSV']],
    ['manager', ['Add tag', 'Remove tag', 'Set owner', 'Set stage', 'Invite to survey', 'Export CSV']],
    ['agent', ['Add tag', 'Remove tag', 'Set stage', 'Invite to survey', 'Export CSV']],
    ['viewer', ['Export CSV']],
  ])('offers a %s only the tools the API allows them', (role, offered) => {
    renderBar({ role });
    expect(tools()).toEqual(offered);
  });

  it('offers no change while the role is not known yet', () => {
    renderBar({ role: undefined });
    expect(tools()).toEqual(['Export CSV']);
  });

  it('counts all matching less the rows unticked as N − k', () => {
    const selection = toggle(toggle(ALL_MATCHING, 'a', false, ['a', 'b', 'c']), 'b', false, ['a', 'b', 'c']);
    renderBar({ selection, selected: 998, matching: 1_000 });
    expect(screen.getByText('1,000 − 2 = 998 contacts selected')).toBeInTheDocument();
  });

  it('says all matching are selected while none is unticked', () => {
    renderBar({ selection: ALL_MATCHING, selected: 1_000, matching: 1_000 });
    expect(screen.getByText('All 1,000 matching contacts are selected')).toBeInTheDocument();
  });
});
