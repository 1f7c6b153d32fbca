import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export type AnalyticsPageProps = {
  title: string;
  intro: string;
  /** Filters of every card on the page (the segment), beside the heading. */
  filters?: ReactNode;
  children: ReactNode;
};

/** The frame of every analytics page: its heading and short explanation, its filters, then its cards. */
export function AnalyticsPage({ title, intro, filters, children }: AnalyticsPageProps) {
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Stack gap={2} maw={720}>
          <Title order={1} size="h2">
            {title}
          </Title>
          <Text c="dimmed" size="sm">
            {intro}
          </Text>
        </Stack>
        {filters}
      </Group>
      {children}
    </Stack>
  );
}
