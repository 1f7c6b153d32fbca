import { describe, expect, it, vi } from 'vitest';

import { formLevelErrors, showProblemInForm } from './formErrors';

const conflict = {
  type: 'about:blank',
  title: 'Conflict',
  status: 409,
  detail: 'request refused',
  errors: [{ field: 'email', message: 'already used by another contact' }],
};

describe('showProblemInForm', () => {
  it('sets the error at the field the problem names and leaves the alert empty', () => {
    const setError = vi.fn();
    const alert = showProblemInForm(conflict, ['email', 'phone'], setError, 'fallback');
    expect(setError).toHaveBeenCalledWith(
      'email',
      { type: 'server', message: 'already used by another contact' },
      { shouldFocus: true },
    );
    expect(alert).toEqual([]);
  });

  it('falls back when the failure is no problem (network down)', () => {
    const setError = vi.fn();
    expect(showProblemInForm(new TypeError('Failed to fetch'), ['email'], setError, 'try again')).toEqual(['try again']);
    expect(setError).not.toHaveBeenCalled();
  });
});

describe('formLevelErrors', () => {
  it('keeps messages no field holds', () => {
    expect(formLevelErrors({ fieldErrors: {}, formErrors: ['Idempotency-Key: too long'] }, 'x')).toEqual([
      'Idempotency-Key: too long',
    ]);
  });
});
