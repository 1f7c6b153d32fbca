import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { CaseRead, CaseUpdate } from '@/client';
import { mapProblemToFields } from '@/lib/api/mapProblemToFields';

import { useUpdateCase } from '../hooks/useUpdateCase';

export type CaseActionsProps = {
  feedbackCase: CaseRead;
  /** The signed-in user, who takes an unowned case. */
  userId: string | undefined;
};

const FIELDS = ['resolution_note'] as const;

/** The next step of a feedback case: take it, start it, resolve it with a note, or reopen it. */
export function CaseActions({ feedbackCase, userId }: CaseActionsProps) {
  const { t } = useTranslation();
  const update = useUpdateCase();
  const [resolving, setResolving] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();

  const change = (body: CaseUpdate, onDone?: () => void) => {
    setFormError(undefined);
    update.mutate(
      { path: { case_id: feedbackCase.id }, body },
      {
        onSuccess: onDone,
        onError: (error) => {
          const { fieldErrors, formErrors } = mapProblemToFields(error, FIELDS, t);
          setNoteError(fieldErrors.resolution_note);
          setFormError(formErrors.join(' · ') || undefined);
        },
      },
    );
  };
  const handleResolve = (event: SyntheticEvent) => {
    event.preventDefault();
    if (note.trim() === '') {
      setNoteError(t('cases.noteRequired'));
      return;
    }
    change({ status: 'resolved', resolution_note: note.trim() }, () => {
      setResolving(false);
      setNote('');
    });
  };

  const error = formError && (
    <Alert color="red" role="alert" p="xs">
      {formError}
    </Alert>
  );
  if (resolving) {
    return (
      <form noValidate onSubmit={handleResolve} aria-label={t('cases.resolveTitle')}>
        <Stack gap="xs">
          {error}
          <Textarea
            label={t('cases.resolutionNote')}
            withAsterisk
            autoFocus
            rows={3}
            value={note}
            onChange={(event) => {
              setNote(event.currentTarget.value);
              setNoteError(undefined);
            }}
            error={noteError}
          />
          <Group gap="xs" justify="flex-end">
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                setResolving(false);
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button type="submit" size="xs" color="teal" loading={update.isPending}>
              {t('cases.markResolved')}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }
  return (
    <Stack gap="xs" align="flex-end">
      {error}
      <Group gap="xs" justify="flex-end">
        {feedbackCase.owner_id === null && userId && (
          <Button
            size="xs"
            variant="light"
            loading={update.isPending}
            onClick={() => {
              change({ owner_id: userId });
            }}
          >
            {t('cases.take')}
          </Button>
        )}
        {feedbackCase.status === 'open' && (
          <Button
            size="xs"
            loading={update.isPending}
            onClick={() => {
              change({ status: 'in_progress' });
            }}
          >
            {t('cases.start')}
          </Button>
        )}
        {feedbackCase.status === 'in_progress' && (
          <Button
            size="xs"
            color="teal"
            onClick={() => {
              setResolving(true);
            }}
          >
            {t('cases.resolve')}
          </Button>
        )}
        {feedbackCase.status === 'resolved' && (
          <Button
            size="xs"
            variant="default"
            loading={update.isPending}
            onClick={() => {
              change({ status: 'in_progress' });
            }}
          >
            {t('cases.reopen')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
