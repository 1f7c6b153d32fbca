import { describe, expect, it } from 'vitest';

import type { CustomFieldRead } from '@/client';

import { toCustomFieldFormValues, toCustomFields } from './customFieldValues';

function field(key: string, type: string): CustomFieldRead {
  return { key, label: key, type, required: false, options: [], version: 1, created_at: '', updated_at: '' };
}

const FIELDS = [field('n', 'number'), field('b', 'boolean'), field('d', 'date'), field('s', 'select'), field('t', 'text')];

describe('custom field values', () => {
  it('turns stored values into the form text, one entry per defined field', () => {
    expect(toCustomFieldFormValues(FIELDS, { n: 12.5, b: false, d: '2026-03-01', old: 'x' })).toEqual({
      n: '12.5',
      b: 'false',
      d: '2026-03-01',
      s: '',
      t: '',
    });
  });

  it('sends typed values for filled fields only', () => {
    expect(toCustomFields(FIELDS, { n: '1,5', b: 'true', d: '2026-03-01', s: '', t: '  ' })).toEqual({
      n: 1.5,
      b: true,
      d: '2026-03-01',
    });
  });

  it('sends a number that is none as typed, for the API to refuse at the field', () => {
    expect(toCustomFields(FIELDS, { n: 'viele' })).toEqual({ n: 'viele' });
  });
});
