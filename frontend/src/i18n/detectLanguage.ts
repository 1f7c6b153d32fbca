import { LANGUAGES, type Language } from './languages';

export const LANGUAGE_STORAGE_KEY = 'treue.language';

function asLanguage(tag: string | null | undefined): Language | undefined {
  const primary = tag?.toLowerCase().split('-')[0];
  return LANGUAGES.find((language) => language === primary);
}

/** The language the user picked in the header wins; else the browser's first supported one; else German. */
export function detectLanguage(
  stored: string | null = localStorage.getItem(LANGUAGE_STORAGE_KEY),
  browser: readonly string[] = navigator.languages,
): Language {
  return asLanguage(stored) ?? browser.map(asLanguage).find((language) => language !== undefined) ?? 'de';
}
