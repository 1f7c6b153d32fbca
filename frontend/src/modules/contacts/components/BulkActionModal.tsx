import { Alert, Button, Checkbox, Group, List, Modal, Progress, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { BulkActionCreate, BulkActionKind, BulkActionRead, Selection } from '@/client';
import { problemMessage } from '@/lib/api/problemMessage';

import { useBulkActionJob, useStartBulkAction } from '../hooks/useBulkAction';
import { useOwnerChoices } from '../hooks/useOwnerChoices';
import { LIFECYCLE_STAGES } from '../utils/lifecycleStages';

// From this many contacts on, the user confirms the size explicitly.
export const LARGE_SELECTION = 500;
const NO_OWNER = '';
const SHOWN_SKIPS = 5;

export type BulkActionModalProps = {
  kind: BulkActionKind;
  target: Selection;
  count: number;
  onClose: () => void;
};

function body(kind: BulkActionKind, value: string, target: Selection): BulkActionCreate {
  if (kind === 'add_tag' || kind === 'remove_tag') return { ...target, action: kind, tag: value.trim() };
  if (kind === 'set_owner') return { ...target, action: kind, owner_id: value === NO_OWNER ? null : value };
  const stage = LIFECYCLE_STAGES.find((candidate) => candidate === value);
  return { ...target, action: kind, lifecycle_stage: stage ?? null };
}

/** Asks for the action's value, confirms, runs the job and shows its progress and outcome. */
export function BulkActionModal({ kind, target, count, onClose }: BulkActionModalProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState(kind === 'set_owner' ? NO_OWNER : '');
  const [confirmed, setConfirmed] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  // One key per dialog: a retried request (a double click, a lost answer) starts one job.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const start = useStartBulkAction();
  const job = useBulkActionJob(jobId);
  const owners = useOwnerChoices(kind === 'set_owner');
  const needsConfirm = count >= LARGE_SELECTION || kind === 'remove_tag';
  const ready = (kind === 'set_owner' || value.trim() !== '') && (!needsConfirm || confirmed);

  const handleStart = () => {
    start.mutate(
      { body: body(kind, value, target), headers: { 'Idempotency-Key': idempotencyKey } },
      {
        onSuccess: (created) => {
          setJobId(created.id);
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t(`contacts.bulk.actions.${kind}`)}>
      {jobId === null ? (
        <Stack gap="sm">
          <Text size="sm">{t('contacts.bulk.affects', { count })}</Text>
          {(kind === 'add_tag' || kind === 'remove_tag') && (
            <TextInput
              label={t('contacts.tag')}
              placeholder={t('contacts.tagPlaceholder')}
              value={value}
              onChange={(event) => {
                setValue(event.currentTarget.value);
              }}
              maxLength={50}
              data-autofocus
            />
          )}
          {kind === 'set_owner' && (
            <Select
              label={t('contacts.bulk.owner')}
              data={[{ value: NO_OWNER, label: t('contacts.bulk.noOwner') }, ...owners.choices]}
              value={value}
              onChange={(chosen) => {
                setValue(chosen ?? NO_OWNER);
              }}
              placeholder={owners.isPending ? t('common.loading') : undefined}
              searchable
              allowDeselect={false}
            />
          )}
          {kind === 'set_lifecycle_stage' && (
            <Select
              label={t('contacts.stage')}
              description={t('contacts.bulk.churnHint')}
              data={LIFECYCLE_STAGES.filter((stage) => stage !== 'churned').map((stage) => ({
                value: stage,
                label: t(`contacts.stages.${stage}`),
              }))}
              value={value || null}
              onChange={(chosen) => {
                setValue(chosen ?? '');
              }}
            />
          )}
          {needsConfirm && (
            <Checkbox
              label={t('contacts.bulk.confirm', { count })}
              checked={confirmed}
              onChange={(event) => {
                setConfirmed(event.currentTarget.checked);
              }}
            />
          )}
          {start.isError && (
            <Alert color="red" role="alert">
              {problemMessage(start.error, t('common.unexpectedError'))}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button onClick={handleStart} disabled={!ready} loading={start.isPending}>
              {t('contacts.bulk.apply', { count })}
            </Button>
          </Group>
        </Stack>
      ) : (
        <BulkJobStatus job={job.data} error={job.error} onClose={onClose} />
      )}
    </Modal>
  );
}

function BulkJobStatus({ job, error, onClose }: { job: BulkActionRead | undefined; error: unknown; onClose: () => void }) {
  const { t } = useTranslation();
  const done = job?.status === 'succeeded' || job?.status === 'failed';
  return (
    <Stack gap="sm">
      <Progress
        value={(job?.progress ?? 0) * 100}
        animated={!done}
        aria-label={t('contacts.bulk.progress')}
        color={job?.status === 'failed' ? 'red' : 'blue'}
      />
      {job?.status === 'succeeded' ? (
        <Stack gap={4} role="status">
          <Text size="sm" fw={600}>
            {t('contacts.bulk.done', { count: job.changed ?? 0 })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('contacts.bulk.doneDetail', { unchanged: job.unchanged ?? 0, skipped: job.skipped ?? 0 })}
          </Text>
          {job.skipped_examples && job.skipped_examples.length > 0 && (
            <List size="xs">
              {job.skipped_examples.slice(0, SHOWN_SKIPS).map((skip) => (
                <List.Item key={skip.contact_id}>{skip.message}</List.Item>
              ))}
            </List>
          )}
        </Stack>
      ) : job?.status === 'failed' || error ? (
        <Alert color="red" role="alert">
          {job?.error ?? problemMessage(error, t('common.unexpectedError'))}
        </Alert>
      ) : (
        <Text size="sm" role="status">
          {t('contacts.bulk.running', { count: job?.matched ?? 0 })}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant={done ? 'filled' : 'default'} onClick={onClose}>
          {done ? t('contacts.bulk.close') : t('contacts.bulk.background')}
        </Button>
      </Group>
    </Stack>
  );
}
