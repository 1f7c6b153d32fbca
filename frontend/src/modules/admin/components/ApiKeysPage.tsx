import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ApiKeyCreated, ApiKeyRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { notifyProblem } from '@/ui/notifyProblem';

import { useApiKeys, useRevokeApiKey } from '../hooks/useApiKeys';
import { AdminTable } from './AdminTable';
import { ConfirmModal } from './ConfirmModal';
import { NewApiKeyForm } from './NewApiKeyForm';
import { SecretOnce } from './SecretOnce';

/** The API keys (F5): create one (its secret shown once), see when each was last used, revoke. */
export function ApiKeysPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRead | null>(null);

  const closeCreate = () => {
    setCreating(false);
    setCreated(null);
  };

  const handleRevoke = (key: ApiKeyRead) => {
    revoke.mutate(
      { path: { key_id: key.id } },
      {
        onSuccess: () => {
          setRevoking(null);
          notifications.show({ color: 'teal', message: t('admin.apiKeys.revoked', { name: key.name }) });
        },
        onError: (error) => {
          notifyProblem(error, t);
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.apiKeys.title')}
        </Title>
        <Button
          onClick={() => {
            setCreating(true);
          }}
        >
          {t('admin.apiKeys.new')}
        </Button>
      </Group>
      <Paper withBorder>
        <AdminTable
          section="apiKeys"
          query={keys}
          columns={[
            t('admin.apiKeys.columns.name'),
            t('admin.apiKeys.columns.prefix'),
            t('admin.apiKeys.columns.scopes'),
            t('admin.apiKeys.columns.created'),
            t('admin.apiKeys.columns.lastUsed'),
            t('admin.apiKeys.columns.status'),
            '',
          ]}
        >
          {(key) => (
            <Table.Tr key={key.id}>
              <Table.Td>{key.name}</Table.Td>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {key.prefix}…
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {key.scopes.map((scope) => (
                    <Badge key={scope} variant="light" size="sm">
                      {scope}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{format.dateTime(key.created_at)}</Table.Td>
              <Table.Td>{key.last_used_at ? format.dateTime(key.last_used_at) : t('admin.apiKeys.never')}</Table.Td>
              <Table.Td>
                {key.revoked_at ? (
                  // Badges cut their label short in a narrow cell; the date is the point here.
                  <Badge color="gray" miw="max-content">
                    {t('admin.apiKeys.revokedAt', { date: format.date(key.revoked_at) })}
                  </Badge>
                ) : (
                  <Badge color="teal">{t('admin.apiKeys.active')}</Badge>
                )}
              </Table.Td>
              <Table.Td>
                {!key.revoked_at && (
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    aria-label={`${t('admin.apiKeys.revoke')} ${key.name}`}
                    onClick={() => {
                      setRevoking(key);
                    }}
                  >
                    {t('admin.apiKeys.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        </AdminTable>
      </Paper>
      <Modal opened={creating} onClose={closeCreate} title={t('admin.apiKeys.new')} size="lg">
        {created ? (
          <SecretOnce secret={created.key} onDone={closeCreate} />
        ) : (
          <NewApiKeyForm onCreated={setCreated} onCancel={closeCreate} />
        )}
      </Modal>
      <ConfirmModal
        opened={revoking !== null}
        title={t('admin.apiKeys.revokeTitle')}
        text={t('admin.apiKeys.revokeText', { name: revoking?.name ?? '' })}
        confirmLabel={t('admin.apiKeys.revoke')}
        loading={revoke.isPending}
        onConfirm={() => {
          if (revoking) handleRevoke(revoking);
        }}
        onClose={() => {
          setRevoking(null);
        }}
      />
    </Stack>
  );
}
