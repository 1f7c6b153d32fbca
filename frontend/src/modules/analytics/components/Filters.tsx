import { SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useSegmentChoices } from '../hooks/useSegmentChoices';

export type ChoiceFilterProps<T extends string> = {
  label: string;
  value: T;
  choices: { value: T; label: string }[];
  onChange: (value: T) => void;
};

/** A few fixed choices (period length, interval …) as a labelled segmented control. */
export function ChoiceFilter<T extends string>({ label, value, choices, onChange }: ChoiceFilterProps<T>) {
  return (
    <Stack gap={2}>
      <Text size="xs" fw={500} component="span">
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        aria-label={label}
        value={value}
        data={choices}
        onChange={(next) => {
          const found = choices.find((choice) => choice.value === next);
          if (found) onChange(found.value);
        }}
      />
    </Stack>
  );
}

export type SegmentFilterProps = {
  value: string | null;
  onChange: (segmentId: string | null) => void;
};

/** A saved segment to narrow the chart to, or all customers. */
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
      value={value}
      onChange={onChange}
      clearable
    />
  );
}
