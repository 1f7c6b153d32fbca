import { Button, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { BulkActionKind } from '@/client';

import type { ContactSelection } from '../types/ContactSelection';

export type BulkTool = BulkActionKind | 'invite' | 'export';

export type BulkBarProps = {
  selection: ContactSelection;
  /** How many the selection holds (all matching ones once chosen). */
  selected: number;
  /** How many contacts the filters match, once counted. */
  matching: number | undefined;
  exporting: boolean;
  onSelectMatching: () => void;
  onClear: () => void;
  onTool: (tool: BulkTool) => void;
};

const CHANGES: BulkActionKind[] = ['add_tag', 'remove_tag', 'set_owner', 'set_lifecycle_stage'];

/** What can be done with the selected rows; shown while any row is selected. */
export function BulkBar({ selection, selected, matching, exporting, onSelectMatching, onClear, onTool }: BulkBarProps) {
  const { t } = useTranslation();
  const canWiden = selection.mode === 'picked' && matching !== undefined && matching > selected;
  return (
    <Paper withBorder p="xs" bg="blue.0" role="region" aria-label={t('contacts.bulk.region')}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={600} aria-live="polite">
            {selection.mode === 'matching'
              ? t('contacts.bulk.allMatchingSelected', { count: selected })
              : t('contacts.bulk.selected', { count: selected })}
          </Text>
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
          {CHANGES.map((kind) => (
            <Button
              key={kind}
              size="compact-sm"
              variant="default"
              onClick={() => {
                onTool(kind);
              }}
            >
              {t(`contacts.bulk.actions.${kind}`)}
            </Button>
          ))}
          <Button
            size="compact-sm"
            variant="default"
            onClick={() => {
              onTool('invite');
            }}
          >
            {t('contacts.bulk.actions.invite')}
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            loading={exporting}
            onClick={() => {
              onTool('export');
            }}
          >
            {t('contacts.bulk.actions.export')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
