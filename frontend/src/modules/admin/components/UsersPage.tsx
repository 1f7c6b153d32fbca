import { Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { UserRead } from '@/client';
import { zRole } from '@/client/zod.gen';
import { useFormatters } from '@/i18n/useFormatters';
import { useCurrentUser } from '@/modules/auth/hooks/useCurrentUser';
import { notifyProblem } from '@/ui/notifyProblem';

import { useDeactivateUser, useUpdateUser, useUsers } from '../hooks/useUsers';
import { AdminTable } from './AdminTable';
import { ConfirmModal } from './ConfirmModal';
import { NewUserForm } from './NewUserForm';

/** Users and their roles (F5): create, change the role, deactivate. */
export function UsersPage() {
  const { t } = useTranslation();
  const format = useFormatters();
  const users = useUsers();
  // Your own account is not yours to deactivate here (the last admin would lock everyone out).
  const me = useCurrentUser().data?.id;
  const updateUser = useUpdateUser();
  const deactivate = useDeactivateUser();
  const [creating, setCreating] = useState(false);
  const [deactivating, setDeactivating] = useState<UserRead | null>(null);

  const showError = (error: unknown) => {
    notifyProblem(error, t);
  };

  const handleRoleChange = (user: UserRead, value: string | null) => {
    const role = zRole.options.find((known) => known === value);
    if (!role || role === user.role) return;
    updateUser.mutate(
      { path: { user_id: user.id }, body: { role } },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('admin.users.roleChanged', { name: user.name }) });
        },
        onError: showError,
      },
    );
  };

  const handleDeactivate = (user: UserRead) => {
    deactivate.mutate(
      { path: { user_id: user.id } },
      {
        onSuccess: () => {
          setDeactivating(null);
          notifications.show({ color: 'teal', message: t('admin.users.deactivated', { name: user.name }) });
        },
        onError: (error) => {
          setDeactivating(null);
          showError(error);
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.users.title')}
        </Title>
        <Button
          onClick={() => {
            setCreating(true);
          }}
        >
          {t('admin.users.new')}
        </Button>
      </Group>
      <Paper withBorder>
        <AdminTable
          section="users"
          query={users}
          columns={[
            t('admin.users.columns.name'),
            t('admin.users.columns.email'),
            t('admin.users.columns.role'),
            t('admin.users.columns.status'),
            t('admin.users.columns.created'),
            t('admin.users.columns.actions'),
          ]}
        >
          {(user) => (
            <Table.Tr key={user.id}>
              <Table.Td>{user.name}</Table.Td>
              <Table.Td>{user.email}</Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={140}
                  aria-label={t('admin.users.roleOf', { name: user.name })}
                  data={zRole.options.map((value) => ({ value, label: t(`admin.users.roles.${value}`) }))}
                  value={user.role}
                  allowDeselect={false}
                  disabled={!user.active}
                  onChange={(value) => {
                    handleRoleChange(user, value);
                  }}
                />
              </Table.Td>
              <Table.Td>
                {user.active ? (
                  <Badge color="teal">{t('admin.users.active')}</Badge>
                ) : (
                  <Badge color="gray">{t('admin.users.inactive')}</Badge>
                )}
              </Table.Td>
              <Table.Td>{format.date(user.created_at)}</Table.Td>
              <Table.Td>
                {user.id === me ? (
                  <Text size="xs" c="dimmed">
                    {t('admin.users.you')}
                  </Text>
                ) : (
                  user.active && (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      aria-label={`${t('admin.users.deactivate')} ${user.name}`}
                      onClick={() => {
                        setDeactivating(user);
                      }}
                    >
                      {t('admin.users.deactivate')}
                    </Button>
                  )
                )}
              </Table.Td>
            </Table.Tr>
          )}
        </AdminTable>
      </Paper>
      <Modal
        opened={creating}
        onClose={() => {
          setCreating(false);
        }}
        title={t('admin.users.new')}
      >
        <NewUserForm
          onCreated={(user) => {
            setCreating(false);
            notifications.show({ color: 'teal', message: t('admin.users.created', { name: user.name }) });
          }}
          onCancel={() => {
            setCreating(false);
          }}
        />
      </Modal>
      <ConfirmModal
        opened={deactivating !== null}
        title={t('admin.users.deactivateTitle')}
        text={t('admin.users.deactivateText', { name: deactivating?.name ?? '' })}
        confirmLabel={t('admin.users.deactivate')}
        loading={deactivate.isPending}
        onConfirm={() => {
          if (deactivating) handleDeactivate(deactivating);
        }}
        onClose={() => {
          setDeactivating(null);
        }}
      />
    </Stack>
  );
}
