import { Checkbox, Stack, TextInput } from '@mantine/core';
import { type SyntheticEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ApiKeyCreated, Scope } from '@/client';
import { zScope } from '@/client/zod.gen';
import { ModalFormFooter } from '@/ui/ModalFormFooter';

import { useCreateApiKey } from '../hooks/useApiKeys';
import { useServerErrors } from '../hooks/useServerErrors';
import { FormErrors } from './FormErrors';

const FIELDS = ['name', 'scopes'] as const;

export type NewApiKeyFormProps = {
  onCreated: (key: ApiKeyCreated) => void;
  onCancel: () => void;
};

export function NewApiKeyForm({ onCreated, onCancel }: NewApiKeyFormProps) {
  const { t } = useTranslation();
  const createKey = useCreateApiKey();
  const errors = useServerErrors(FIELDS);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);

  const handleSubmit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    errors.clear();
    const missing = {
      ...(name.trim() ? {} : { name: t('admin.apiKeys.nameRequired') }),
      ...(scopes.length > 0 ? {} : { scopes: t('admin.apiKeys.scopesRequired') }),
    };
    if (Object.keys(missing).length > 0) {
      errors.setFieldErrors(missing);
      return;
    }
    try {
      onCreated(await createKey.mutateAsync({ body: { name: name.trim(), scopes } }));
    } catch (error) {
      errors.show(error);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)}>
      <Stack gap="sm">
        <FormErrors errors={errors.formErrors} />
        <TextInput
          label={t('admin.apiKeys.name')}
          withAsterisk
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
          error={errors.fieldErrors.name}
        />
        <Checkbox.Group
          label={t('admin.apiKeys.scopes')}
          withAsterisk
          value={scopes}
          onChange={(values) => {
            setScopes(zScope.options.filter((scope) => values.includes(scope)));
          }}
          error={errors.fieldErrors.scopes}
        >
          <Stack gap={6} mt="xs">
            {zScope.options.map((scope) => (
              <Checkbox key={scope} value={scope} label={scope} />
            ))}
          </Stack>
        </Checkbox.Group>
        <ModalFormFooter submitLabel={t('admin.apiKeys.create')} loading={createKey.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
