import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** What a panel of analytics figures says while analytics has not seen the contact (404). */
export function NotSeenYet() {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed">
      {t('customerValue.notSeen')}
    </Text>
  );
}
