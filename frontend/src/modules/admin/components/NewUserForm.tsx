import { PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { type SyntheticEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Role, UserRead } from '@/client';
import { zRole } from '@/client/zod.gen';
import { ModalFormFooter } from '@/ui/ModalFormFooter';

import { useCreateUser } from '../hooks/useUsers';
import { useServerErrors } from '../hooks/useServerErrors';
import { FormErrors } from './FormErrors';

const FIELDS = ['name', 'email', 'role', 'password'] as const;

export type NewUserFormProps = {
  onCreated: (user: UserRead) => void;
  onCancel: () => void;
};

export function NewUserForm({ onCreated, onCancel }: NewUserFormProps) {
  const { t } = useTranslation();
  const createUser = useCreateUser();
  const errors = useServerErrors(FIELDS);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [password, setPassword] = useState('');

  // The API checks everything (and its 422 lands at the field); this only spares a round trip for a blank name.
  const handleSubmit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    errors.clear();
    if (!name.trim()) {
      errors.setFieldErrors({ name: t('admin.users.nameRequired') });
      return;
    }
    try {
      onCreated(await createUser.mutateAsync({ body: { name: name.trim(), email: email.trim(), role, password } }));
    } catch (error) {
      errors.show(error);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)}>
      <Stack gap="sm">
        <FormErrors errors={errors.formErrors} />
        <TextInput
          label={t('admin.users.name')}
          withAsterisk
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
          error={errors.fieldErrors.name}
        />
        <TextInput
          label={t('admin.users.email')}
          withAsterisk
          type="email"
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
          }}
          error={errors.fieldErrors.email}
        />
        <Select
          label={t('admin.users.role')}
          data={zRole.options.map((value) => ({ value, label: t(`admin.users.roles.${value}`) }))}
          value={role}
          allowDeselect={false}
          onChange={(value) => {
            const chosen = zRole.options.find((known) => known === value);
            if (chosen) setRole(chosen);
          }}
          error={errors.fieldErrors.role}
        />
        <PasswordInput
          label={t('admin.users.password')}
          withAsterisk
          description={t('admin.users.passwordHint')}
          visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
          error={errors.fieldErrors.password}
        />
        <ModalFormFooter submitLabel={t('admin.users.create')} loading={createUser.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
