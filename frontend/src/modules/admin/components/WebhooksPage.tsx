import { Badge, Button, Drawer, Group, Modal, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { SecretRotated, WebhookCreated, WebhookRead } from '@/client';
import { useFormatters } from '@/i18n/useFormatters';
import { notifyProblem } from '@/ui/notifyProblem';

import { useRotateSecret, useSendTest, useUpdateWebhook, useWebhooks } from '../hooks/useWebhooks';
import { AdminTable } from './AdminTable';
import { DeliveryLog } from './DeliveryLog';
import { NewWebhookForm } from './NewWebhookForm';
import { SecretOnce } from './SecretOnce';

/** Webhook endpoints (F5): create (secret shown once), enable/disable, rotate, test, and the delivery log. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const webhooks = useWebhooks();
  const updateWebhook = useUpdateWebhook();
  const rotateSecret = useRotateSecret();
  const sendTest = useSendTest();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [rotated, setRotated] = useState<SecretRotated | null>(null);
  const [logOf, setLogOf] = useState<WebhookRead | null>(null);

  const showError = (error: unknown) => {
    notifyProblem(error, t);
  };

  const closeCreate = () => {
    setCreating(false);
    setCreated(null);
  };

  const handleToggle = (webhook: WebhookRead, enabled: boolean) => {
    updateWebhook.mutate({ path: { webhook_id: webhook.id }, body: { enabled } }, { onError: showError });
  };

  const handleRotate = (webhook: WebhookRead) => {
    rotateSecret.mutate({ path: { webhook_id: webhook.id } }, { onSuccess: setRotated, onError: showError });
  };

  const handleSendTest = (webhook: WebhookRead) => {
    sendTest.mutate(
      { path: { webhook_id: webhook.id } },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('admin.webhooks.testQueued') });
        },
        onError: showError,
      },
    );
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.webhooks.title')}
        </Title>
        <Button
          onClick={() => {
            setCreating(true);
          }}
        >
          {t('admin.webhooks.new')}
        </Button>
      </Group>
      <Paper withBorder>
        <AdminTable
          section="webhooks"
          query={webhooks}
          columns={[
            t('admin.webhooks.columns.url'),
            t('admin.webhooks.columns.events'),
            t('admin.webhooks.columns.status'),
            t('admin.webhooks.columns.actions'),
          ]}
        >
          {(webhook) => (
            <Table.Tr key={webhook.id}>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {webhook.url}
                </Text>
                {webhook.description && (
                  <Text size="xs" c="dimmed">
                    {webhook.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {webhook.event_types.map((eventType) => (
                    <Badge key={eventType} variant="light" size="sm">
                      {eventType}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Switch
                  checked={webhook.enabled}
                  label={webhook.enabled ? t('admin.webhooks.enabled') : t('admin.webhooks.disabled')}
                  aria-label={`${webhook.enabled ? t('admin.webhooks.disable') : t('admin.webhooks.enable')} ${webhook.url}`}
                  onChange={(event) => {
                    handleToggle(webhook, event.currentTarget.checked);
                  }}
                />
                {!webhook.enabled && webhook.disabled_reason && (
                  <Text size="xs" c="red" mt={4}>
                    {webhook.disabled_reason}
                    {webhook.disabled_at && ` (${format.dateTime(webhook.disabled_at)})`}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => {
                      setLogOf(webhook);
                    }}
                  >
                    {t('admin.webhooks.deliveries')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => {
                      handleSendTest(webhook);
                    }}
                  >
                    {t('admin.webhooks.sendTest')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => {
                      handleRotate(webhook);
                    }}
                  >
                    {t('admin.webhooks.rotate')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        </AdminTable>
      </Paper>
      <Modal opened={creating} onClose={closeCreate} title={t('admin.webhooks.new')} size="lg">
        {created ? (
          <SecretOnce secret={created.secret} onDone={closeCreate} />
        ) : (
          <NewWebhookForm onCreated={setCreated} onCancel={closeCreate} />
        )}
      </Modal>
      <Modal
        opened={rotated !== null}
        onClose={() => {
          setRotated(null);
        }}
        title={t('admin.webhooks.rotateTitle')}
        size="lg"
      >
        {rotated && (
          <Stack gap="sm">
            <Text size="sm">
              {t('admin.webhooks.rotated', { date: format.dateTime(rotated.previous_secret_expires_at) })}
            </Text>
            <SecretOnce
              secret={rotated.secret}
              onDone={() => {
                setRotated(null);
              }}
            />
          </Stack>
        )}
      </Modal>
      <Drawer
        opened={logOf !== null}
        onClose={() => {
          setLogOf(null);
        }}
        position="right"
        size="xl"
        title={logOf ? t('admin.webhooks.deliveriesOf', { url: logOf.url }) : ''}
      >
        {logOf && <DeliveryLog webhookId={logOf.id} />}
      </Drawer>
    </Stack>
  );
}
