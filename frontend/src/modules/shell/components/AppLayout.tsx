import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { useCurrentUser } from '@/modules/auth/hooks/useCurrentUser';
import { useLogout } from '@/modules/auth/hooks/useLogout';

import { LanguageSwitch } from './LanguageSwitch';

export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const user = useCurrentUser();
  const logout = useLogout();

  const handleLogout = () => {
    logout.mutate({});
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.main')} />
            <Text fw={700} size="lg" c="teal.8">
              {t('app.name')}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            {user.data && (
              <Text size="sm" fw={500} visibleFrom="sm">
                {user.data.name}
              </Text>
            )}
            <LanguageSwitch />
            <Button variant="default" size="xs" onClick={handleLogout} loading={logout.isPending}>
              {t('auth.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        <NavLink component={Link} to="/" label={t('nav.today')} onClick={close} activeOptions={{ exact: true }} />
        <NavLink component={Link} to="/contacts" label={t('nav.contacts')} onClick={close} />
        <NavLink component={Link} to="/surveys" label={t('nav.surveys')} onClick={close} />
        <NavLink component={Link} to="/feedback-cases" label={t('nav.cases')} onClick={close} />
        <NavLink label={t('nav.analytics')} defaultOpened childrenOffset="sm">
          <NavLink component={Link} to="/analytics" label={t('nav.dashboard')} onClick={close} activeOptions={{ exact: true }} />
          <NavLink component={Link} to="/analytics/nps" label={t('nav.nps')} onClick={close} />
          <NavLink component={Link} to="/analytics/customer-value" label={t('nav.customerValue')} onClick={close} />
          <NavLink component={Link} to="/analytics/retention" label={t('nav.retention')} onClick={close} />
          <NavLink component={Link} to="/analytics/margins" label={t('nav.margins')} onClick={close} />
        </NavLink>
        {user.data?.role === 'admin' && (
          <NavLink label={t('nav.admin')} defaultOpened childrenOffset="sm">
            <NavLink component={Link} to="/admin/users" label={t('nav.users')} onClick={close} />
            <NavLink component={Link} to="/admin/api-keys" label={t('nav.apiKeys')} onClick={close} />
            <NavLink component={Link} to="/admin/webhooks" label={t('nav.webhooks')} onClick={close} />
            <NavLink component={Link} to="/admin/audit-log" label={t('nav.auditLog')} onClick={close} />
            <NavLink component={Link} to="/admin/custom-fields" label={t('nav.customFields')} onClick={close} />
            <NavLink component={Link} to="/admin/settings" label={t('nav.settings')} onClick={close} />
          </NavLink>
        )}
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
