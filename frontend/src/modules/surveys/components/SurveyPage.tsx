import { Badge, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { surveysGetSurveyOptions } from '@/client/@tanstack/react-query.gen';
import { isProblem } from '@/lib/api/isProblem';
import { problemMessage } from '@/lib/api/problemMessage';
import { AnchorLink } from '@/ui/AnchorLink';
import { EmptyState } from '@/ui/EmptyState';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { InviteContacts } from './InviteContacts';
import { NpsCard } from './NpsCard';
import { ResponsesList } from './ResponsesList';

const route = getRouteApi('/_app/surveys/$surveyId');

/** One survey: invite contacts, watch the answers arrive, and its NPS. */
export function SurveyPage() {
  const { t, i18n } = useTranslation();
  const { surveyId } = route.useParams();
  const survey = useQuery(surveysGetSurveyOptions({ path: { survey_id: surveyId } }));

  const back = (
    <AnchorLink to="/surveys" size="sm">
      ← {t('surveys.back')}
    </AnchorLink>
  );
  if (survey.isPending) return <LoadingState label={t('common.loading')} />;
  if (survey.isError) {
    const missing = isProblem(survey.error) && (survey.error.status === 404 || survey.error.status === 422);
    return (
      <Stack>
        {back}
        {missing ? (
          <EmptyState title={t('surveys.notFoundTitle')} text={t('surveys.notFoundText')} />
        ) : (
          <ErrorState
            title={t('common.unexpectedError')}
            text={problemMessage(survey.error, '')}
            retryLabel={t('common.retry')}
            onRetry={() => void survey.refetch()}
          />
        )}
      </Stack>
    );
  }
  const { name, active, question } = survey.data;
  return (
    <Stack gap="md">
      {back}
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1} size="h2">
            {name}
          </Title>
          <Badge color={active ? 'teal' : 'gray'} variant="light">
            {t(active ? 'surveys.active' : 'surveys.inactive')}
          </Badge>
        </Group>
        <Text c="dimmed">{i18n.language === 'en' ? question.en : question.de}</Text>
      </Stack>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <InviteContacts surveyId={surveyId} />
            <ResponsesList surveyId={surveyId} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <NpsCard surveyId={surveyId} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
