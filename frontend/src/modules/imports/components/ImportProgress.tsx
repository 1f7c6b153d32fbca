import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';

import type { ImportRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { isProblem } from '@/lib/api/isProblem';
import { operationKey } from '@/lib/api/operationKey';
import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useImportJob } from '../hooks/useImportJob';
import { isFinished, percentDone, STATUS_COLOR } from '../utils/importState';
import { ImportErrorReport } from './ImportErrorReport';

export type ImportProgressProps = {
  importId: string;
  /** Back to the upload form, for the next file. */
  onRestart: () => void;
};

const COUNTS = ['created', 'updated', 'skipped', 'failed'] as const satisfies readonly (keyof ImportRead)[];

/** What the imported records show up in, refreshed once the import is over. */
const AFFECTED = ['contactsListContacts', 'contactsGetContact', 'contactsGetTimeline', 'ordersListOrders', 'importsListImports'];

/** Follows an import job: the bar while it runs, then what it did and the refused rows. */
export function ImportProgress({ importId, onRestart }: ImportProgressProps) {
  const { t } = useTranslation();
  const job = useImportJob(importId);
  const queryClient = useQueryClient();
  const finished = job.data !== undefined && isFinished(job.data);

  useEffect(() => {
    if (!finished) return;
    for (const operationId of AFFECTED) {
      void queryClient.invalidateQueries({ queryKey: operationKey(operationId) });
    }
  }, [finished, importId, queryClient]);

  if (job.isPending) {
    return <LoadingState label={t('common.loading')} />;
  }
  if (job.isError && !job.isRefetchError) {
    const missing = isProblem(job.error) && job.error.status === 404;
    return (
      <Stack gap="sm" align="flex-start">
        <ErrorState
          title={missing ? t('imports.job.notFoundTitle') : t('imports.job.errorTitle')}
          text={missing ? t('imports.job.notFoundText') : t('imports.job.errorText')}
          detail={problemMessage(job.error, '')}
          {...(!missing && { retryLabel: t('common.retry'), onRetry: () => void job.refetch() })}
        />
        <Button variant="light" onClick={onRestart}>
          {t('imports.job.another')}
        </Button>
      </Stack>
    );
  }
  return <ImportJobView job={job.data} connectionLost={job.isRefetchError} onRestart={onRestart} />;
}

type ImportJobViewProps = {
  job: ImportRead;
  connectionLost: boolean;
  onRestart: () => void;
};

function ImportJobView({ job, connectionLost, onRestart }: ImportJobViewProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const titleId = useId();
  const percent = percentDone(job);
  const finished = isFinished(job);

  return (
    // A region named by the file: the job's status reads apart from the past imports' below.
    <Paper withBorder p="lg" component="section" aria-labelledby={titleId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} size="h3" id={titleId}>
              {job.filename ?? t('imports.job.untitled')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('imports.job.summary', { kind: t(`imports.kinds.${job.import_kind}`), size: format.number(job.size_bytes / 1024, 1) })}
            </Text>
          </Stack>
          <Badge color={STATUS_COLOR[job.status]} size="lg" variant="light">
            {t(`imports.status.${job.status}`)}
          </Badge>
        </Group>
        <Stack gap={4}>
          <Progress
            value={percent}
            size="xl"
            color={job.status === 'failed' ? 'red' : job.status === 'succeeded' ? 'teal' : 'blue'}
            striped={!finished}
            animated={job.status === 'running'}
            aria-label={t('imports.job.progress')}
          />
          {/* Read out as it changes, so a screen reader hears the import go on and end. */}
          <Text size="sm" aria-live="polite">
            {finished
              ? t('imports.job.recordsDone', { count: job.records, records: format.number(job.records) })
              : t('imports.job.recordsRunning', {
                  count: job.records,
                  records: format.number(job.records),
                  percent: format.percent(percent / 100),
                })}
          </Text>
        </Stack>
        {connectionLost && (
          <Alert color="yellow" role="status">
            {t('imports.job.connectionLost')}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          {COUNTS.map((count) => (
            <Paper key={count} withBorder p="sm" radius="sm">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t(`imports.counts.${count}`)}
              </Text>
              <Text size="xl" fw={700} c={count === 'failed' && job[count] > 0 ? 'red' : undefined}>
                {format.number(job[count])}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        {job.status === 'failed' && (
          <Alert color="red" title={t('imports.job.failedTitle')} role="alert">
            {t('imports.job.failedText')}
            {job.error && (
              <Text size="xs" c="dimmed" mt={4}>
                {job.error}
              </Text>
            )}
          </Alert>
        )}
        {job.status === 'succeeded' && job.failed === 0 && (
          <Alert color="teal" role="status">
            {t('imports.job.allGood')}
          </Alert>
        )}
        {finished && job.failed > 0 && <ImportErrorReport job={job} />}
        {finished && (
          <Group>
            <Button variant="light" onClick={onRestart}>
              {t('imports.job.another')}
            </Button>
            {job.import_kind === 'contacts' && (
              <Button component={Link} to="/contacts" variant="subtle">
                {t('imports.job.toContacts')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
