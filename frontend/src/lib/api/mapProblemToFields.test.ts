import { describe, expect, it } from 'vitest';

import type { FieldError } from '@/client';
import { i18n } from '@/i18n/i18n';

import { mapProblemToFields } from './mapProblemToFields';

const t = i18n.getFixedT('de');

const FIELDS = ['email', 'tags', 'first_name'] as const;

function problem(errors: FieldError[] | null, detail: string | null = 'request refused') {
  return { type: 'about:blank', title: 'Conflict', status: 409, detail, errors };
}

describe('mapProblemToFields', () => {
  it('puts each message at the field it names', () => {
    const mapping = mapProblemToFields(problem([{ field: 'email', message: 'already used by another contact' }]), FIELDS, t);
    expect(mapping).toEqual({ fieldErrors: { email: 'already used by another contact' }, formErrors: [] });
  });

  it('maps nested paths to the form field that holds them', () => {
    const mapping = mapProblemToFields(problem([{ field: 'tags[3]', message: 'too long' }]), FIELDS, t);
    expect(mapping.fieldErrors).toEqual({ tags: 'too long' });
  });

  it('keeps the first message when a field has several', () => {
    const mapping = mapProblemToFields(
      problem([
        { field: 'first_name', message: 'required' },
        { field: 'first_name', message: 'too long' },
      ]),
      FIELDS,
      t,
    );
    expect(mapping.fieldErrors.first_name).toBe('required');
  });

  it('reports errors of fields the form does not have at form level', () => {
    const mapping = mapProblemToFields(problem([{ field: 'Idempotency-Key', message: 'invalid length' }]), FIELDS, t);
    expect(mapping).toEqual({ fieldErrors: {}, formErrors: ['Idempotency-Key: invalid length'] });
  });

  it('falls back to the detail when the problem names no field', () => {
    expect(mapProblemToFields(problem(null, 'too many requests'), FIELDS, t).formErrors).toEqual(['too many requests']);
    expect(mapProblemToFields(problem([], null), FIELDS, t).formErrors).toEqual(['Conflict']);
  });

  it('says coded messages in the user’s language, at a field and at form level', () => {
    const mapping = mapProblemToFields(
      problem([
        { field: 'tags[0]', message: 'String should have at most 50 characters', code: 'string_too_long', ctx: { max_length: 50 } },
        { field: 'owner_id', message: 'no user with the id 7', code: 'not_found', ctx: { id: '7' } },
      ]),
      FIELDS,
      t,
    );
    expect(mapping).toEqual({ fieldErrors: { tags: 'Höchstens 50 Zeichen' }, formErrors: ['owner_id: Gibt es nicht (mehr)'] });
  });

  it('ignores what is not a problem (network failures are handled elsewhere)', () => {
    expect(mapProblemToFields(new TypeError('Failed to fetch'), FIELDS, t)).toEqual({ fieldErrors: {}, formErrors: [] });
  });
});
