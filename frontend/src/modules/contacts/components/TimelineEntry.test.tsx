import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { TimelineAnalyticsFlag, TimelineLifecycle } from '@/client';
import { renderWithProviders } from '@/test/renderWithProviders';

import { TimelineEntry } from './TimelineEntry';

const AT = '2026-03-02T10:15:00Z';

function flag(
  overrides: Partial<TimelineAnalyticsFlag>,
): TimelineAnalyticsFlag {
  return {
    kind: 'analytics_flag',
    id: 'f1',
    occurred_at: AT,
    flag: 'churn_risk',
    score: null,
    previous_score: null,
    drivers: null,
    previous_class: null,
    current_class: null,
    ...overrides,
  };
}

function lifecycle(overrides: Partial<TimelineLifecycle>): TimelineLifecycle {
  return {
    kind: 'lifecycle',
    id: 'l1',
    occurred_at: AT,
    change: 'churned',
    reason: null,
    note: null,
    ...overrides,
  };
}

// Intl puts a no-break space before the German percent sign.
const text = (content: string) =>
  screen.getByText(
    (_, element) =>
      element?.tagName === 'P' &&
      element.textContent.replace(/\u00a0/g, ' ') === content,
  );

describe('TimelineEntry', () => {
  it('says in German how far the churn risk rose and why, in the words of the reasons', () => {
    renderWithProviders(
      <TimelineEntry
        item={flag({
          score: 0.72,
          previous_score: 0.4,
          drivers: ['low_p_alive', 'detractor'],
        })}
      />,
      'de',
    );

    expect(
      text(
        'Abwanderungsrisiko gestiegen auf 72 % — Gründe: Kaufpause, Detraktor',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Analyse')).toBeInTheDocument();
  });

  it('says in English how far the churn risk rose, without reasons when there are none', () => {
    renderWithProviders(
      <TimelineEntry item={flag({ score: 0.65, drivers: [] })} />,
      'en',
    );

    expect(text('Churn risk rose to 65%')).toBeInTheDocument();
  });

  it('shows an ABC class change, a first classification and a dropped class', () => {
    const { unmount } = renderWithProviders(
      <TimelineEntry
        item={flag({
          flag: 'abc_class',
          previous_class: 'B',
          current_class: 'A',
        })}
      />,
      'de',
    );
    expect(text('ABC-Klasse: B → A')).toBeInTheDocument();
    unmount();

    renderWithProviders(
      <TimelineEntry
        item={flag({
          flag: 'abc_class',
          previous_class: null,
          current_class: 'C',
        })}
      />,
      'en',
    );
    expect(text('First classified: ABC class C')).toBeInTheDocument();
  });

  it('says when a customer leaves the ABC classes', () => {
    renderWithProviders(
      <TimelineEntry item={flag({ flag: 'abc_class', previous_class: 'A', current_class: null })} />,
      'de',
    );
    expect(text('Nicht mehr in ABC-Klasse A')).toBeInTheDocument();
  });

  it('shows a churn with the churn dialog’s word for its reason and its note', () => {
    const { unmount } = renderWithProviders(
      <TimelineEntry
        item={lifecycle({ reason: 'price', note: 'Angebot der Konkurrenz' })}
      />,
      'de',
    );
    expect(
      text('Abgewandert: Preis — Angebot der Konkurrenz'),
    ).toBeInTheDocument();
    expect(screen.getByText('Kundenstatus')).toBeInTheDocument();
    unmount();

    renderWithProviders(
      <TimelineEntry item={lifecycle({ reason: 'moved_or_closed' })} />,
      'en',
    );
    expect(text('Churned: Moved or closed')).toBeInTheDocument();
  });

  it('shows a win-back', () => {
    const { unmount } = renderWithProviders(
      <TimelineEntry item={lifecycle({ change: 'won_back' })} />,
      'de',
    );
    expect(text('Zurückgewonnen')).toBeInTheDocument();
    unmount();

    renderWithProviders(
      <TimelineEntry item={lifecycle({ change: 'won_back' })} />,
      'en',
    );
    expect(text('Won back')).toBeInTheDocument();
  });
});
