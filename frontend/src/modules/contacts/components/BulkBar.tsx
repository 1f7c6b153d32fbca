import { Button, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { Role } from '@/client';

import type { ContactSelection } from '../types/ContactSelection';
import { type BulkTool, bulkTools } from '../utils/bulkTools';

export type BulkBarProps = {
  selection: ContactSelection;
  /** How many the selection holds (all matching ones less those unticked, once chosen). */
  selected: number;
  /** How many contacts the filters match, once counted. */
  matching: number | undefined;
  /** The signed-in user's role, once known: it decides which tools are offered. */
  role: Role | undefined;
  exporting: boolean;
  onSelectMatching: () => void;
  onClear: () => void;
  onTool: (tool: BulkTool) => void;
};

/** What can be done with the selected rows; shown while any row is selected. */
export function BulkBar({ selection, selected, matching, role, exporting, onSelectMatching, onClear, onTool }: BulkBarProps) {
  const { t } = useTranslation();
  const canWiden = selection.mode === 'picked' && matching !== undefined && matching > selected;
  return (
    <Paper withBorder p="xs" bg="blue.0" role="region" aria-label={t('contacts.bulk.region')}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <SelectionSummary selection={selection} selected={selected} matching={matching} />
          {canWiden && (
            <Button size="compact-sm" variant="subtle" onClick={onSelectMatching}>
              {t('contacts.bulk.selectMatching', { count: matching })}
            </Button>
          )}
          <Button size="compact-sm" variant="subtle" color="gray" onClick={onClear}>
            {t('contacts.bulk.clear')}
          </Button>
        </Group>
        <Group gap={6}>
          {bulkTools(role).map((tool) => (
            <Button
              key={tool}
              size="compact-sm"
              variant="default"
              loading={tool === 'export' && exporting}
              onClick={() => {
                onTool(tool);
              }}
            >
              {t(`contacts.bulk.actions.${tool}`)}
            </Button>
          ))}
        </Group>
      </Group>
    </Paper>
  );
}

function SelectionSummary({ selection, selected, matching }: Pick<BulkBarProps, 'selection' | 'selected' | 'matching'>) {
  const { t } = useTranslation();
  let summary = t('contacts.bulk.selected', { count: selected });
  if (selection.mode === 'matching') {
    const excluded = selection.excluded.size;
    summary =
      excluded === 0 || matching === undefined
        ? t('contacts.bulk.allMatchingSelected', { count: selected })
        : t('contacts.bulk.allMatchingExcept', { matching, excluded, count: selected });
  }
  return (
    <Text size="sm" fw={600} aria-live="polite">
      {summary}
    </Text>
  );
}
