import { Anchor, Badge, Button, Center, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { AnchorLink } from '@/ui/AnchorLink';
import { EmptyState } from '@/ui/EmptyState';
import { QueryView } from '@/ui/QueryView';

import { useImportHistory } from '../hooks/useImportHistory';
import { errorReportUrl, isFinished, STATUS_COLOR } from '../utils/importState';

/** Earlier imports, newest first: each opens again with its progress and its error report. */
export function ImportHistory() {
  const { t } = useTranslation();
  const format = useFormatters();
  const imports = useImportHistory();

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t('imports.history.title')}
      </Title>
      <Paper withBorder>
        <QueryView
          query={imports}
          errorTitle={t('imports.history.error')}
          isEmpty={(items) => items.length === 0}
          empty={<EmptyState title={t('imports.history.emptyTitle')} text={t('imports.history.emptyText')} />}
        >
          {(items) => (
            <Table aria-label={t('imports.history.title')} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('imports.history.columns.when')}</Table.Th>
                  <Table.Th>{t('imports.history.columns.file')}</Table.Th>
                  <Table.Th>{t('imports.history.columns.who')}</Table.Th>
                  <Table.Th>{t('imports.history.columns.status')}</Table.Th>
                  <Table.Th>{t('imports.history.columns.counts')}</Table.Th>
                  <Table.Th>{t('imports.history.columns.report')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((job) => (
                  <Table.Tr key={job.id}>
                    <Table.Td>{format.dateTime(job.created_at)}</Table.Td>
                    <Table.Td>
                      <AnchorLink to="/contacts/import" search={{ job: job.id }} size="sm">
                        {job.filename ?? t('imports.job.untitled')}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {t(`imports.kinds.${job.import_kind}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{job.created_by_name ?? job.created_by ?? t('imports.history.system')}</Text>
                    </Table.Td>
                    <Table.Td>
                      {/* Its own width: in a narrow table the label would be cut to "DO…". */}
                      <Badge color={STATUS_COLOR[job.status]} variant="light" miw="max-content">
                        {t(`imports.status.${job.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {t('imports.history.counts', {
                          created: format.number(job.created),
                          updated: format.number(job.updated),
                          skipped: format.number(job.skipped),
                        })}
                      </Text>
                      {job.failed > 0 && (
                        <Text size="sm" c="red">
                          {t('imports.history.failed', { count: job.failed, rows: format.number(job.failed) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {isFinished(job) && job.failed > 0 ? (
                        <Anchor href={errorReportUrl(job)} download={`${job.id}-errors.csv`} size="sm">
                          {t('imports.history.download')}
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('common.none')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryView>
      </Paper>
      {imports.hasNextPage && (
        <Center>
          <Button variant="default" loading={imports.isFetchingNextPage} onClick={() => void imports.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
