import { Alert, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../features/auth/auth.schema.js';
import type { AreaKey } from '../areas.js';
import { usePageTitle } from './usePageTitle.js';

/** What a user sees on an area their role may not read: its name and a plain "no access", not a 403 error. */
export function NoAccessPage({ area, role }: { area: AreaKey; role: Role }) {
  const { t } = useTranslation();
  const name = t(`nav.${area}`);
  usePageTitle(name);
  return (
    <Stack gap="md" maw={720}>
      <Title order={2}>{name}</Title>
      <Alert color="gray" variant="light" title={t('noAccess.title')} data-testid="no-access">
        {t('noAccess.body', { role: t(`roles.${role}`) })}
      </Alert>
    </Stack>
  );
}
