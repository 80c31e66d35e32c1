import { Button, Menu, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { signOut } from './auth.queries.js';
import { useMe } from './session.js';

/** The header's account menu: who is signed in (and as which role), my profile, sign out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" size="xs" data-testid="user-menu">
          {me.user.displayName}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="xs">{me.user.email}</Text>
          <Text size="xs" c="dimmed">
            {t(`roles.${me.role}`)}
          </Text>
        </Menu.Label>
        <Menu.Item component={Link} to="/profile" data-testid="menu-profile">
          {t('profile.title')}
        </Menu.Item>
        <Menu.Item
          data-testid="sign-out"
          onClick={() => {
            void signOut(queryClient).finally(() => void navigate('/sign-in', { replace: true }));
          }}
        >
          {t('auth.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
