import { SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useSegmentChoices } from '../hooks/useSegmentChoices';

export type ChoiceFilterProps<T extends string | number> = {
  label: string;
  value: T;
  choices: { value: T; label: string }[];
  onChange: (value: T) => void;
};

/** A few fixed choices (period length, interval …) as a labelled segmented control. */
export function ChoiceFilter<T extends string | number>({ label, value, choices, onChange }: ChoiceFilterProps<T>) {
  return (
    <Stack gap={2}>
      <Text size="xs" fw={500} component="span">
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        aria-label={label}
        value={String(value)}
        data={choices.map((choice) => ({ value: String(choice.value), label: choice.label }))}
        onChange={(next) => {
          const found = choices.find((choice) => String(choice.value) === next);
          if (found) onChange(found.value);
        }}
      />
    </Stack>
  );
}

export type SegmentFilterProps = {
  value: string | undefined;
  onChange: (segmentId: string | undefined) => void;
};

/** A saved segment to narrow the page's charts to, or all customers. */
export function SegmentFilter({ value, onChange }: SegmentFilterProps) {
  const { t } = useTranslation();
  const choices = useSegmentChoices();
  return (
    <Select
      size="xs"
      w={200}
      label={t('analytics.filters.segment')}
      placeholder={t('analytics.filters.allCustomers')}
      data={choices}
      value={value ?? null}
      onChange={(segmentId) => { onChange(segmentId ?? undefined); }}
      clearable
    />
  );
}
