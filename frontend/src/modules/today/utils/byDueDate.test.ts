import { describe, expect, it } from 'vitest';

import { byDueDate, isOverdue } from './byDueDate';

describe('byDueDate', () => {
  it('puts the soonest due first across time zones, without changing the input', () => {
    const items = [
      { id: 'later', due_at: '2026-03-02T10:00:00Z' },
      { id: 'sooner', due_at: '2026-03-02T10:30:00+01:00' },
      { id: 'overdue', due_at: '2025-12-31T23:00:00Z' },
    ];

    expect(byDueDate(items).map((item) => item.id)).toEqual(['overdue', 'sooner', 'later']);
    expect(items[0]?.id).toBe('later');
  });
});

describe('isOverdue', () => {
  it('is true only once the due time has passed', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(isOverdue('2026-03-02T09:59:59Z', now)).toBe(true);
    expect(isOverdue('2026-03-02T10:00:01Z', now)).toBe(false);
  });
});
