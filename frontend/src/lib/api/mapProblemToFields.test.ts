import { describe, expect, it } from 'vitest';

import { mapProblemToFields } from './mapProblemToFields';

const FIELDS = ['email', 'tags', 'first_name'] as const;

function problem(errors: { field: string; message: string }[] | null, detail: string | null = 'request refused') {
  return { type: 'about:blank', title: 'Conflict', status: 409, detail, errors };
}

describe('mapProblemToFields', () => {
  it('puts each message at the field it names', () => {
    const mapping = mapProblemToFields(problem([{ field: 'email', message: 'already used by another contact' }]), FIELDS);
    expect(mapping).toEqual({ fieldErrors: { email: 'already used by another contact' }, formErrors: [] });
  });

  it('maps nested paths to the form field that holds them', () => {
    const mapping = mapProblemToFields(problem([{ field: 'tags[3]', message: 'too long' }]), FIELDS);
    expect(mapping.fieldErrors).toEqual({ tags: 'too long' });
  });

  it('keeps the first message when a field has several', () => {
    const mapping = mapProblemToFields(
      problem([
        { field: 'first_name', message: 'required' },
        { field: 'first_name', message: 'too long' },
      ]),
      FIELDS,
    );
    expect(mapping.fieldErrors.first_name).toBe('required');
  });

  it('reports errors of fields the form does not have at form level', () => {
    const mapping = mapProblemToFields(problem([{ field: 'Idempotency-Key', message: 'invalid length' }]), FIELDS);
    expect(mapping).toEqual({ fieldErrors: {}, formErrors: ['Idempotency-Key: invalid length'] });
  });

  it('falls back to the detail when the problem names no field', () => {
    expect(mapProblemToFields(problem(null, 'too many requests'), FIELDS).formErrors).toEqual(['too many requests']);
    expect(mapProblemToFields(problem([], null), FIELDS).formErrors).toEqual(['Conflict']);
  });

  it('ignores what is not a problem (network failures are handled elsewhere)', () => {
    expect(mapProblemToFields(new TypeError('Failed to fetch'), FIELDS)).toEqual({ fieldErrors: {}, formErrors: [] });
  });
});
