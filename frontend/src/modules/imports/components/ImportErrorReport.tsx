import { Anchor, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { ImportRead } from '@/client';
import { fieldErrorMessage } from '@/lib/api/fieldErrorMessage';
import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useImportErrors } from '../hooks/useImportErrors';
import { errorReportUrl, PREVIEW_ROWS, showsErrorPreview } from '../utils/importState';

export type ImportErrorReportProps = {
  job: ImportRead;
};

/** The refused rows of a finished import: the CSV to download, and the first rows right here. */
export function ImportErrorReport({ job }: ImportErrorReportProps) {
  const { t } = useTranslation();
  const preview = showsErrorPreview(job);
  const errors = useImportErrors(job.id, preview);
  const rows = errors.data?.slice(0, PREVIEW_ROWS) ?? [];

  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('imports.report.title')}
      </Title>
      <Text size="sm">{t('imports.report.text', { count: job.failed })}</Text>
      <div>
        <Button component="a" href={errorReportUrl(job)} download={`${job.id}-errors.csv`} variant="light">
          {t('imports.report.download')}
        </Button>
      </div>
      {preview &&
        (errors.isPending ? (
          <LoadingState label={t('common.loading')} />
        ) : errors.isError ? (
          <ErrorState
            title={t('imports.report.errorTitle')}
            text={t('imports.report.errorText')}
            detail={problemMessage(errors.error, '')}
            retryLabel={t('common.retry')}
            onRetry={() => void errors.refetch()}
          />
        ) : (
          <>
            <Table striped withTableBorder aria-label={t('imports.report.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('imports.report.row')}</Table.Th>
                  <Table.Th scope="col">{t('imports.report.field')}</Table.Th>
                  <Table.Th scope="col">{t('imports.report.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((error) => (
                  <Table.Tr key={`${String(error.row)}-${error.field}`}>
                    <Table.Td>{error.row}</Table.Td>
                    <Table.Td>
                      <code>{error.field}</code>
                    </Table.Td>
                    <Table.Td>{fieldErrorMessage(error, t)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {errors.data.length > rows.length && (
              <Text size="sm" c="dimmed">
                {t('imports.report.more', { count: errors.data.length - rows.length })}{' '}
                <Anchor href={errorReportUrl(job)} download={`${job.id}-errors.csv`}>
                  {t('imports.report.download')}
                </Anchor>
              </Text>
            )}
          </>
        ))}
    </Stack>
  );
}
