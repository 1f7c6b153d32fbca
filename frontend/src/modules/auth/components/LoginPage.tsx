import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { getRouteApi, useRouter } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';

import { problemByStatus } from '@/lib/api/problemByStatus';
import { LanguageSwitch } from '@/modules/shell/components/LanguageSwitch';

import { useLogin } from '../hooks/useLogin';
import { loginFormSchema } from '../utils/loginFormSchema';

type LoginValues = z.infer<ReturnType<typeof loginFormSchema>>;

const route = getRouteApi('/login');

export function LoginPage() {
  const { t } = useTranslation();
  const router = useRouter();
  const { redirect } = route.useSearch();
  const schema = useMemo(() => loginFormSchema(t), [t]);
  const login = useLogin();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<LoginValues>({ resolver: zodResolver(schema), defaultValues: { email: '', password: '' } });

  const handleLogin = (values: LoginValues) => {
    login.mutate(
      { body: values },
      {
        onSuccess: () => {
          void router.navigate({ to: redirect ?? '/' });
        },
      },
    );
  };

  return (
    <Center mih="100dvh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form noValidate onSubmit={(event) => void handleSubmit(handleLogin)(event)}>
          <Stack gap="md">
            <Group justify="space-between" align="center">
              <Title order={1} size="h3">
                {t('auth.title')}
              </Title>
              <LanguageSwitch />
            </Group>
            {login.isError && (
              <Alert color="red" title={t('auth.failed')} role="alert">
                {problemByStatus(login.error, { 401: t('auth.wrongCredentials'), 429: t('auth.tooManyAttempts') }, t('common.unexpectedError'))}
              </Alert>
            )}
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="username"
              autoFocus
              {...register('email')}
              error={errors.email?.message}
            />
            <PasswordInput
              label={t('auth.password')}
              autoComplete="current-password"
              visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
              {...register('password')}
              error={errors.password?.message}
            />
            <Button type="submit" loading={login.isPending} fullWidth>
              {t('auth.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
