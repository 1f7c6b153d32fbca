import { Anchor, Stack, Text, Title } from '@mantine/core';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import type { ImportRead } from '@/client';

import { ImportForm } from './ImportForm';
import { ImportHistory } from './ImportHistory';
import { ImportProgress } from './ImportProgress';

const route = getRouteApi('/_app/contacts/import');

/** Upload a file, then follow its job; the job's id in the URL lets a reload pick it up again. */
export function ImportPage() {
  const { t } = useTranslation();
  const { job } = route.useSearch();
  const navigate = route.useNavigate();

  const handleStarted = (started: ImportRead) => {
    void navigate({ search: { job: started.id } });
  };
  const handleRestart = () => {
    void navigate({ search: {} });
  };

  return (
    <Stack gap="md" maw={900}>
      <Anchor component={Link} to="/contacts" size="sm">
        {t('contact.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('imports.title')}
      </Title>
      <Text c="dimmed">{t('imports.intro')}</Text>
      {job ? <ImportProgress key={job} importId={job} onRestart={handleRestart} /> : <ImportForm onStarted={handleStarted} />}
      <ImportHistory />
    </Stack>
  );
}
