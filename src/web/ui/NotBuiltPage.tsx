import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AreaKey } from '../areas.js';
import { usePageTitle } from './usePageTitle.js';

/** The placeholder for an area that is planned but not built: its name and one sentence on what it will hold. */
export function NotBuiltPage({ area }: { area: AreaKey }) {
  const { t } = useTranslation();
  const name = t(`nav.${area}`);
  usePageTitle(name);
  return (
    <Stack gap="md" maw={720}>
      <Group gap="sm" align="center">
        <Title order={2}>{name}</Title>
        <Badge variant="light" color="gray">
          {t('notBuilt.badge')}
        </Badge>
      </Group>
      <Text c="dimmed">{t('notBuilt.body')}</Text>
      <Text>{t(`areas.${area}`)}</Text>
    </Stack>
  );
}
