import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { de } from './de';
import type { Language } from './languages';

export const i18n = i18next.createInstance();

// German is built in (it is the fallback); English is a chunk of its own, loaded before the
// app renders for an English reader, so the contacts page does not carry both.
void i18n.use(initReactI18next).init({
  resources: { de: { translation: de } },
  lng: 'de',
  fallbackLng: 'de',
  partialBundledLanguages: true,
  interpolation: { escapeValue: false },
  initAsync: false,
});

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18n.language;

/** Switches to `language`, loading its texts first if they are not here yet. */
export async function switchLanguage(language: Language): Promise<void> {
  if (!i18n.hasResourceBundle(language, 'translation')) {
    const { en } = await import('./en');
    i18n.addResourceBundle('en', 'translation', en);
  }
  await i18n.changeLanguage(language);
}
