import { Anchor, AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { areaOfPath, openAreas } from '../areas.js';
import { useMe } from '../features/auth/session.js';
import { UserMenu } from '../features/auth/UserMenu.js';
import { LanguageSwitch } from './LanguageSwitch.js';

/**
 * The frame of every page: header with the product name and language switch, navigation to every area the
 * signed-in role may read (the others are left out rather than answering 403).
 */
export function AppLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const active = areaOfPath(pathname);
  const me = useMe();

  useEffect(close, [pathname, close]); // on a phone, following a link closes the menu

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.toggleNavigation')} />
            <Anchor component={Link} to="/customers" c="inherit" underline="never" fw={700} fz="xl">
              {t('app.name')}
            </Anchor>
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.mainNavigation')}>
        <ScrollArea type="auto">
          {openAreas(me.grants).map((area) => (
            <NavLink
              key={area.key}
              component={Link}
              to={area.path}
              label={t(`nav.${area.key}`)}
              active={active === area.key}
              aria-current={active === area.key ? 'page' : undefined}
              data-testid={`nav-${area.key}`}
              c={area.built || active === area.key ? undefined : 'dimmed'}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
