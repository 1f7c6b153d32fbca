import { Alert, Button, Code, CopyButton, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type SecretOnceProps = {
  secret: string;
  onDone: () => void;
};

/** A secret the API returns once (an API key, a webhook's signing secret): copyable, with the warning. */
export function SecretOnce({ secret, onDone }: SecretOnceProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Alert color="yellow" role="alert">
        {t('admin.secret.warning')}
      </Alert>
      <Code block data-testid="secret-once">
        {secret}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? t('admin.secret.copied') : t('admin.secret.copy')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>{t('admin.secret.done')}</Button>
      </Group>
    </Stack>
  );
}
