import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { LANGUAGE_STORAGE_KEY } from '@/i18n/detectLanguage';
import { switchLanguage } from '@/i18n/i18n';
import { LANGUAGES, type Language } from '@/i18n/languages';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();

  const handleChange = (language: string) => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
    void switchLanguage(language as Language);
  };

  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={i18n.language}
      onChange={handleChange}
      data={LANGUAGES.map((language) => ({ value: language, label: language.toUpperCase() }))}
    />
  );
}
