import { describe, expect, it } from 'vitest';

import { detectLanguage } from './detectLanguage';

describe('detectLanguage', () => {
  it('follows the browser when the user has not chosen', () => {
    expect(detectLanguage(null, ['en-GB', 'de'])).toBe('en');
    expect(detectLanguage(null, ['fr-FR', 'de-AT', 'en'])).toBe('de');
  });

  it('prefers the language picked in the header', () => {
    expect(detectLanguage('en', ['de-DE'])).toBe('en');
  });

  it('falls back to German', () => {
    expect(detectLanguage(null, ['fr-FR', 'it'])).toBe('de');
    expect(detectLanguage('xx', [])).toBe('de');
  });
});
