import { Group, Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export type ContactPanelProps = {
  title: string;
  /** E.g. a button at the heading's right. */
  action?: ReactNode;
  children: ReactNode;
};

/** One box of the 360° page: a heading and its content. */
export function ContactPanel({ title, action, children }: ContactPanelProps) {
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {title}
          </Title>
          {action}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
