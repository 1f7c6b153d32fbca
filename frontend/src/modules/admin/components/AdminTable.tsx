import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { EmptyState } from '@/ui/EmptyState';
import { QueryView, type QueryState } from '@/ui/QueryView';

export type AdminTableProps<TRow> = {
  /** The admin page whose texts (title, error, empty) the table shows. */
  section: 'apiKeys' | 'users' | 'webhooks' | 'customFields';
  query: QueryState<TRow[]>;
  /** The column headings in order; an empty one heads an unlabelled action column. */
  columns: string[];
  /** One table row per item, keyed. */
  children: (row: TRow) => ReactNode;
};

/** The list table of an admin page, with its loading, error (with retry) and empty states. */
export function AdminTable<TRow>({ section, query, columns, children }: AdminTableProps<TRow>) {
  const { t } = useTranslation();
  return (
    <QueryView
      query={query}
      errorTitle={t(`admin.${section}.error`)}
      isEmpty={(rows) => rows.length === 0}
      empty={<EmptyState title={t(`admin.${section}.emptyTitle`)} text={t(`admin.${section}.emptyText`)} />}
    >
      {(rows) => (
        <Table aria-label={t(`admin.${section}.title`)} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column}>{column}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{rows.map(children)}</Table.Tbody>
        </Table>
      )}
    </QueryView>
  );
}
