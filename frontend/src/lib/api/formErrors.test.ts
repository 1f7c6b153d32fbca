import { describe, expect, it, vi } from 'vitest';

import { i18n } from '@/i18n/i18n';

import { formLevelErrors, showProblemInForm } from './formErrors';

const t = i18n.getFixedT('en');

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
    const alert = showProblemInForm(conflict, ['email', 'phone'], setError, t, 'fallback');
    expect(setError).toHaveBeenCalledWith(
      'email',
      { type: 'server', message: 'already used by another contact' },
      { shouldFocus: true },
    );
    expect(alert).toEqual([]);
  });

  it('says a coded error in the user’s language at its field', () => {
    const setError = vi.fn();
    const taken = { ...conflict, errors: [{ field: 'email', message: 'already used', code: 'already_used' }] };
    showProblemInForm(taken, ['email'], setError, i18n.getFixedT('de'), 'fallback');
    expect(setError).toHaveBeenCalledWith('email', { type: 'server', message: 'Wird bereits verwendet' }, { shouldFocus: true });
  });

  it('falls back when the failure is no problem (network down)', () => {
    const setError = vi.fn();
    expect(showProblemInForm(new TypeError('Failed to fetch'), ['email'], setError, t, 'try again')).toEqual(['try again']);
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
