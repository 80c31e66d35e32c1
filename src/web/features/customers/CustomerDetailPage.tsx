import { Anchor, Center, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount, formatDate, formatDecimal } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { AccountAnalyticsCard } from '../analytics/AccountAnalyticsCard.js';
import { accountDetailQuery } from './customers.queries.js';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text data-testid={testId}>{children}</Text>
    </div>
  );
}

/** One account: profile, group and transaction totals. A later issue grows this into the 360° view. */
export function CustomerDetailPage() {
  const { t, i18n } = useTranslation();
  const params = useParams();
  const location = useLocation();
  const id = Number(params.id);
  const validId = Number.isInteger(id) && id > 0;
  const account = useQuery({ ...accountDetailQuery(id), enabled: validId });
  const listSearch = (location.state as { listSearch?: string } | null)?.listSearch ?? '';
  const data = account.data;
  usePageTitle(data ? `${data.code} ${data.nameEn}` : t('customers.title'));

  const none = t('account.none');
  const lang = i18n.language;
  const back = (
    <Anchor component={Link} to={{ pathname: '/customers', search: listSearch }} size="sm">
      ← {t('account.back')}
    </Anchor>
  );

  if (!validId || account.isError) {
    return (
      <Stack gap="md">
        {back}
        <ErrorAlert
          title={t('account.loadError')}
          error={validId ? account.error : new Error(t('account.invalidId', { id: params.id ?? '' }))}
        />
      </Stack>
    );
  }
  if (!data) {
    return (
      <Stack gap="md">
        {back}
        <Center py="xl">
          <Group gap="sm">
            <Loader size="sm" />
            <Text c="dimmed">{t('account.loading')}</Text>
          </Group>
        </Center>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      {back}
      <div>
        <Text ff="monospace" c="dimmed" size="sm">
          {data.code}
        </Text>
        <Title order={2} data-testid="account-name">
          {data.nameEn}
        </Title>
        {data.nameZh ? (
          <Text size="lg" lang="zh-Hant-HK">
            {data.nameZh}
          </Text>
        ) : null}
      </div>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="sm">
          {t('account.profile')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Field label={t('account.fields.code')}>{data.code}</Field>
          <Field label={t('account.fields.nameEn')}>{data.nameEn}</Field>
          <Field label={t('account.fields.nameZh')}>{data.nameZh ?? none}</Field>
          <Field label={t('account.fields.kind')}>{t(`kind.${data.kind}`)}</Field>
          <Field label={t('account.fields.industry')}>{t(`industry.${data.industry}`)}</Field>
          <Field label={t('account.fields.parent')}>
            {data.parentId !== null ? (
              <Anchor component={Link} to={`/customers/${data.parentId}`}>
                {data.parentCode} {data.parentName}
              </Anchor>
            ) : (
              none
            )}
          </Field>
          <Field label={t('account.fields.owner')}>{data.ownerName ?? none}</Field>
          <Field label={t('account.fields.created')}>{formatDate(data.createdAt, lang)}</Field>
          <Field label={t('account.fields.members')}>{formatCount(data.memberCount, lang)}</Field>
          <Field label={t('account.fields.contacts')}>{formatCount(data.contactCount, lang)}</Field>
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="sm">
          {t('account.activity')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Field label={t('account.fields.transactionCount')} testId="account-transactions">
            {formatCount(data.totals.transactionCount, lang)}
          </Field>
          <Field label={t('account.fields.revenue')} testId="account-revenue">
            {formatDecimal(data.totals.revenue, lang)}
          </Field>
          <Field label={t('account.fields.firstTransaction')}>
            {formatDate(data.totals.firstTransactionAt, lang) ?? none}
          </Field>
          <Field label={t('account.fields.lastTransaction')}>
            {formatDate(data.totals.lastTransactionAt, lang) ?? none}
          </Field>
        </SimpleGrid>
      </Paper>
      <AccountAnalyticsCard accountId={data.id} />
    </Stack>
  );
}
