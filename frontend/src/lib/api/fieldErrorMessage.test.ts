import { describe, expect, it } from 'vitest';

import { de } from '@/i18n/de';
import { en } from '@/i18n/en';
import { i18n } from '@/i18n/i18n';

import { fieldErrorMessage } from './fieldErrorMessage';

const german = i18n.getFixedT('de');
const english = i18n.getFixedT('en');

describe('fieldErrorMessage', () => {
  it('says a known code in the user’s language instead of the API’s English', () => {
    const error = { field: 'custom_fields.mitarbeiter', message: 'must be a number', code: 'float_type' };
    expect(fieldErrorMessage(error, german)).toBe('Muss eine Zahl sein');
    expect(fieldErrorMessage(error, english)).toBe('Must be a number');
  });

  it('fills the code’s parameters from ctx', () => {
    const error = {
      field: 'company',
      message: 'String should have at most 200 characters',
      code: 'string_too_long',
      ctx: { max_length: 200 },
    };
    expect(fieldErrorMessage(error, german)).toBe('Höchstens 200 Zeichen');
    const choice = { field: 'x', message: 'must be one of a, b', code: 'literal_error', ctx: { expected: 'a, b' } };
    expect(fieldErrorMessage(choice, english)).toBe('Must be one of: a, b');
  });

  it('falls back to the API’s message for a code it does not know, for `invalid`, and without a code', () => {
    const unknown = { field: 'email', message: 'value is not a valid email address', code: 'value_error' };
    expect(fieldErrorMessage(unknown, german)).toBe('value is not a valid email address');
    expect(fieldErrorMessage({ field: 'x', message: 'is odd', code: 'invalid' }, german)).toBe('is odd');
    expect(fieldErrorMessage({ field: 'x', message: 'older server' }, german)).toBe('older server');
    expect(fieldErrorMessage({ field: 'x', message: 'inherited', code: 'toString' }, german)).toBe('inherited');
  });

  it('has a German and an English text for every code, each with the same parameters', () => {
    const parameters = (text: string) => [...text.matchAll(/{{(\w+)}}/g)].map((match) => match[1]);
    expect(Object.keys(en.fieldErrors)).toEqual(Object.keys(de.fieldErrors));
    for (const [code, text] of Object.entries(de.fieldErrors)) {
      expect(parameters(en.fieldErrors[code as keyof typeof de.fieldErrors]), code).toEqual(parameters(text));
    }
  });
});
