import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomFieldRead } from '@/client';
import { zFieldType } from '@/client/zod.gen';
import { notifyProblem } from '@/ui/notifyProblem';

import { useCustomFields, useDeleteCustomField } from '../hooks/useCustomFields';
import { AdminTable } from './AdminTable';
import { ConfirmModal } from './ConfirmModal';
import { CustomFieldForm } from './CustomFieldForm';

/** Custom field definitions of contacts (F5): list, define, edit, delete. */
export function CustomFieldsPage() {
  const { t } = useTranslation();
  const fields = useCustomFields();
  const deleteField = useDeleteCustomField();
  // null: closed; 'new': defining one; a definition: editing it.
  const [editing, setEditing] = useState<CustomFieldRead | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CustomFieldRead | null>(null);

  const close = () => {
    setEditing(null);
  };

  const handleDone = (field: CustomFieldRead) => {
    notifications.show({ color: 'teal', message: t('admin.customFields.saved', { label: field.label }) });
    close();
  };

  const handleDelete = (field: CustomFieldRead) => {
    deleteField.mutate(
      { path: { key: field.key } },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('admin.customFields.deleted', { label: field.label }) });
          setDeleting(null);
        },
        onError: (error) => {
          notifyProblem(error, t);
          setDeleting(null);
        },
      },
    );
  };

  const typeLabel = (type: string) => {
    const known = zFieldType.safeParse(type);
    return known.success ? t(`admin.customFields.types.${known.data}`) : type;
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.customFields.title')}
        </Title>
        <Button
          onClick={() => {
            setEditing('new');
          }}
        >
          {t('admin.customFields.new')}
        </Button>
      </Group>
      <Paper withBorder>
        <AdminTable
          section="customFields"
          query={fields}
          columns={[
            t('admin.customFields.label'),
            t('admin.customFields.key'),
            t('admin.customFields.type'),
            t('admin.customFields.options'),
            t('admin.customFields.actions'),
          ]}
        >
          {(field) => (
            <Table.Tr key={field.key}>
              <Table.Td>
                <Group gap="xs">
                  <Text size="sm">{field.label}</Text>
                  {field.required && (
                    <Badge size="xs" variant="light" color="orange">
                      {t('admin.customFields.requiredBadge')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {field.key}
                </Text>
              </Table.Td>
              <Table.Td>{typeLabel(field.type)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {field.options.map((option) => (
                    <Badge key={option} variant="outline" size="sm">
                      {option}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="light"
                    aria-label={`${t('admin.customFields.edit')} ${field.label}`}
                    onClick={() => {
                      setEditing(field);
                    }}
                  >
                    {t('admin.customFields.edit')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    aria-label={`${t('admin.customFields.delete')} ${field.label}`}
                    onClick={() => {
                      setDeleting(field);
                    }}
                  >
                    {t('admin.customFields.delete')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        </AdminTable>
      </Paper>
      <Modal
        opened={editing !== null}
        onClose={close}
        title={editing === 'new' ? t('admin.customFields.new') : t('admin.customFields.editTitle')}
      >
        {editing !== null && (
          <CustomFieldForm field={editing === 'new' ? undefined : editing} onDone={handleDone} onCancel={close} />
        )}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('admin.customFields.deleteTitle')}
        text={t('admin.customFields.deleteText', { label: deleting?.label ?? '' })}
        confirmLabel={t('admin.customFields.delete')}
        loading={deleteField.isPending}
        onConfirm={() => {
          if (deleting) handleDelete(deleting);
        }}
        onClose={() => {
          setDeleting(null);
        }}
      />
    </Stack>
  );
}
