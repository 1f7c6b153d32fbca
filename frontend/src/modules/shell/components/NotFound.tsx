import { Button, Center } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { EmptyState } from '@/ui/EmptyState';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Center mih="60dvh">
      <EmptyState
        title="404"
        text={t('common.notFound')}
        action={
          <Button component={Link} to="/">
            {t('common.backHome')}
          </Button>
        }
      />
    </Center>
  );
}
