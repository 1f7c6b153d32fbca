import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { de } from './de';
import { detectLanguage } from './detectLanguage';
import { en } from './en';

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { de: { translation: de }, en: { translation: en } },
  lng: detectLanguage(),
  fallbackLng: 'de',
  interpolation: { escapeValue: false },
  initAsync: false,
});

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18n.language;
