import { Alert, Button, Stack, Text } from '@mantine/core';

export type ErrorStateProps = {
  title: string;
  text: string;
  detail?: string;
  retryLabel?: string;
  onRetry?: () => void;
};

export function ErrorState({ title, text, detail, retryLabel, onRetry }: ErrorStateProps) {
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{text}</Text>
        {detail && (
          <Text size="xs" c="dimmed">
            {detail}
          </Text>
        )}
        {onRetry && retryLabel && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {retryLabel}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
