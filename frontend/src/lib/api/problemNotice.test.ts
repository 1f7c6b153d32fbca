import { describe, expect, it } from 'vitest';

import { i18n } from '@/i18n/i18n';

import { problemNotice } from './problemNotice';

function problem(type: string, status: number, detail?: string) {
  return { type, title: 'Server title', status, ...(detail ? { detail } : {}) };
}

describe('problemNotice', () => {
  it('titles a problem by its type in German, with the server\'s detail below', async () => {
    await i18n.changeLanguage('de');
    const t = i18n.t.bind(i18n);
    expect(problemNotice(problem('urn:treue:problem:conflict', 409, 'the contract is cancelled'), t)).toEqual({
      title: 'Das geht so nicht',
      message: 'the contract is cancelled',
    });
    expect(problemNotice(problem('urn:treue:problem:forbidden', 403, 'needs contacts:write'), t).title).toBe(
      'Dafür fehlt dir die Berechtigung',
    );
    expect(problemNotice(problem('urn:treue:problem:rate-limited', 429, 'retry in 3 s'), t).title).toBe(
      'Zu viele Anfragen; bitte warte einen Moment',
    );
    // A statement timeout is a 503 of its own: the user can narrow the request, not only wait.
    expect(problemNotice(problem('urn:treue:problem:timeout', 503, 'the database took too long'), t).title).toBe(
      'Die Abfrage hat zu lange gedauert: bitte eingrenzen und erneut versuchen',
    );
  });

  it('titles the same problems in English', async () => {
    await i18n.changeLanguage('en');
    const t = i18n.t.bind(i18n);
    expect(problemNotice(problem('urn:treue:problem:conflict', 409, 'the contract is cancelled'), t)).toEqual({
      title: 'That is not possible like this',
      message: 'the contract is cancelled',
    });
    expect(problemNotice(problem('urn:treue:problem:validation', 422, 'email: not valid'), t).title).toBe('The input is not valid');
  });

  it('falls back by status for framework types and unknown ones, and has no detail to show twice', async () => {
    await i18n.changeLanguage('de');
    const t = i18n.t.bind(i18n);
    expect(problemNotice(problem('urn:treue:problem:http-404', 404, 'Not Found'), t).title).toBe('Nicht gefunden');
    expect(problemNotice(problem('urn:treue:problem:something-new', 400, 'details'), t).title).toBe(
      'Die Anfrage ist fehlgeschlagen',
    );
    expect(problemNotice(problem('about:blank', 500), t)).toEqual({ message: 'Die Anfrage ist fehlgeschlagen' });
    expect(problemNotice(problem('urn:treue:problem:internal', 500), t)).toEqual({
      message: 'Auf dem Server ist ein Fehler aufgetreten',
    });
    expect(problemNotice(new TypeError('Failed to fetch'), t)).toEqual({
      message: 'Etwas ist schiefgegangen. Bitte versuche es erneut.',
    });
  });
});
