import { Alert, Button, Group, Modal, Progress, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { surveysListSurveysOptions } from '@/client/@tanstack/react-query.gen';
import { problemMessage } from '@/lib/api/problemMessage';
import { AnchorLink } from '@/ui/AnchorLink';

import { invitesWholeSegment, MAX_INVITED, useInviteSelection } from '../hooks/useInviteSelection';
import type { ContactSelection } from '../types/ContactSelection';
import type { ContactsSearch } from '../types/ContactsSearch';

export type InviteSelectionModalProps = {
  selection: ContactSelection;
  search: ContactsSearch;
  count: number;
  onClose: () => void;
};

/** Invites the selected contacts to a survey by personal link (the survey page lists the links). */
export function InviteSelectionModal({ selection, search, count, onClose }: InviteSelectionModalProps) {
  const { t } = useTranslation();
  const [surveyId, setSurveyId] = useState<string | null>(null);
  const [progress, setProgress] = useState(0);
  const surveys = useQuery({
    ...surveysListSurveysOptions({ query: { limit: 200 } }),
    select: (page) => page.items.filter((survey) => survey.active),
  });
  const invite = useInviteSelection();
  const wholeSegment = invitesWholeSegment(selection, search);
  const tooMany = !wholeSegment && count > MAX_INVITED;

  const handleInvite = () => {
    if (surveyId === null) return;
    invite.mutate({ surveyId, selection, search, onProgress: setProgress });
  };

  return (
    <Modal opened onClose={onClose} title={t('contacts.bulk.actions.invite')}>
      <Stack gap="sm">
        <Text size="sm">{t('contacts.bulk.inviteIntro', { count })}</Text>
        <Select
          label={t('contacts.bulk.survey')}
          placeholder={surveys.isPending ? t('common.loading') : t('contacts.bulk.surveyPlaceholder')}
          data={(surveys.data ?? []).map((survey) => ({ value: survey.id, label: survey.name }))}
          value={surveyId}
          onChange={setSurveyId}
          nothingFoundMessage={t('contacts.bulk.noSurveys')}
          searchable
          disabled={invite.isPending || invite.isSuccess}
        />
        {tooMany && <Alert color="yellow">{t('contacts.bulk.tooManyToInvite', { max: MAX_INVITED })}</Alert>}
        {invite.isPending && <Progress value={progress * 100} animated aria-label={t('contacts.bulk.progress')} />}
        {invite.isError && (
          <Alert color="red" role="alert">
            {problemMessage(invite.error, t('common.unexpectedError'))}
          </Alert>
        )}
        {invite.isSuccess && surveyId && (
          <Stack gap={4} role="status">
            <Text size="sm" fw={600}>
              {t('contacts.bulk.invited', { count: invite.data.invited })}
            </Text>
            {invite.data.skipped > 0 && (
              <Text size="sm" c="dimmed">
                {t('contacts.bulk.inviteSkipped', { count: invite.data.skipped })}
              </Text>
            )}
            <AnchorLink to="/surveys/$surveyId" params={{ surveyId }} size="sm">
              {t('contacts.bulk.toSurvey')}
            </AnchorLink>
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {invite.isSuccess ? t('contacts.bulk.close') : t('common.cancel')}
          </Button>
          {!invite.isSuccess && (
            <Button onClick={handleInvite} disabled={surveyId === null || tooMany} loading={invite.isPending}>
              {t('contacts.bulk.invite', { count })}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
