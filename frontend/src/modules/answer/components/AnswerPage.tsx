import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { switchLanguage } from '@/i18n/i18n';
import { useFormatters } from '@/i18n/useFormatters';
import { LANGUAGES } from '@/i18n/languages';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useInvitation } from '../hooks/useInvitation';
import { answerState } from '../utils/answerState';
import { AnswerForm } from './AnswerForm';

const route = getRouteApi('/s/$token');

/** The page a customer reaches from the survey e-mail: no login, in the customer's language. */
export function AnswerPage() {
  const { token } = route.useParams();
  return <AnswerView token={token} />;
}

export function AnswerView({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const format = useFormatters();
  const invitation = useInvitation(token);
  const [editing, setEditing] = useState(false);
  const language = invitation.data?.language;

  useEffect(() => {
    // The customer's language, not the browser's: the question comes in it too.
    const known = LANGUAGES.find((candidate) => candidate === language);
    if (known && known !== i18n.language) {
      void switchLanguage(known);
    }
  }, [language, i18n]);

  const state = answerState(invitation.data, invitation.error);
  const content = (() => {
    switch (state) {
      case 'loading':
        return <LoadingState label={t('common.loading')} />;
      case 'unknown':
        return <Notice title={t('answer.unknownTitle')} text={t('answer.unknownText')} />;
      case 'expired':
        return <Notice title={t('answer.expiredTitle')} text={t('answer.expiredText')} />;
      case 'failed':
        return (
          <ErrorState
            title={t('answer.loadFailedTitle')}
            text={t('answer.loadFailedText')}
            retryLabel={t('common.retry')}
            onRetry={() => void invitation.refetch()}
          />
        );
      case 'closed':
        return <Notice title={t('answer.closedTitle')} text={t('answer.closedText')} />;
    }
    const data = invitation.data;
    if (!data) return null;
    if (state === 'question' || editing) {
      return (
        <AnswerForm
          token={token}
          invitation={data}
          onAnswered={() => {
            setEditing(false);
          }}
          onCancel={
            editing
              ? () => {
                  setEditing(false);
                }
              : undefined
          }
        />
      );
    }
    const given = data.response;
    return (
      <Stack gap="sm" role="status">
        <Title order={1} size="h3">
          {t('answer.thanksTitle')}
        </Title>
        {given && (
          <>
            <Text>{t('answer.yourScore', { score: given.score })}</Text>
            {given.comment && <Text c="dimmed">„{given.comment}“</Text>}
            <Text size="sm">{t('answer.editableUntil', { date: format.dateTime(given.editable_until) })}</Text>
          </>
        )}
        <div>
          <Button
            variant="light"
            onClick={() => {
              setEditing(true);
            }}
          >
            {t('answer.change')}
          </Button>
        </div>
      </Stack>
    );
  })();

  return (
    <Center mih="100dvh" bg="gray.0" p={{ base: 'xs', sm: 'md' }} component="main">
      <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} w={640} maw="100%">
        {content}
      </Paper>
    </Center>
  );
}

function Notice({ title, text }: { title: string; text: string }) {
  return (
    <Stack gap="xs" role="status">
      <Title order={1} size="h3">
        {title}
      </Title>
      <Text>{text}</Text>
    </Stack>
  );
}
