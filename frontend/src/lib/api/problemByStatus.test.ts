import { describe, expect, it } from 'vitest';

import { problemByStatus } from './problemByStatus';

const wrongPassword = { type: 'urn:treue:problem:unauthorized', title: 'Authentication required', status: 401, detail: 'e-mail or password is wrong' };

describe('problemByStatus', () => {
  it("says what the page means by the problem's status, never the server's English detail", () => {
    expect(problemByStatus(wrongPassword, { 401: 'E-Mail oder Passwort ist falsch' }, 'Unerwarteter Fehler')).toBe(
      'E-Mail oder Passwort ist falsch',
    );
    expect(problemByStatus({ ...wrongPassword, status: 500, detail: 'boom' }, { 401: 'falsch' }, 'Unerwarteter Fehler')).toBe(
      'Unerwarteter Fehler',
    );
  });

  it('falls back for what is no problem (a network error)', () => {
    expect(problemByStatus(new TypeError('Failed to fetch'), { 401: 'falsch' }, 'Keine Verbindung')).toBe('Keine Verbindung');
  });
});
