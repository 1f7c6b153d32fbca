import { Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export type AnalyticsPageProps = { title: string; intro: string; children: ReactNode };

/** The frame of every analytics page: its heading and short explanation, then its cards. */
export function AnalyticsPage({ title, intro, children }: AnalyticsPageProps) {
  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={1} size="h2">
          {title}
        </Title>
        <Text c="dimmed" size="sm">
          {intro}
        </Text>
      </Stack>
      {children}
    </Stack>
  );
}
