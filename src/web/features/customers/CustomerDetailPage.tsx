import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { isApiError } from '../../api.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount, formatDate, formatDecimal } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { AccountAnalyticsCard } from '../analytics/AccountAnalyticsCard.js';
import { AccountFormModal } from './AccountFormModal.js';
import {
  ContactsCard,
  GroupCard,
  LaterCard,
  NeedsCard,
  RevenueCard,
  TimelineCard,
  TransactionsCard,
} from './Customer360Cards.js';
import { accountKeys, overviewQuery, setArchived } from './customers.queries.js';
import { LogInteractionButton } from './InteractionForms.js';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text data-testid={testId} component="div">
        {children}
      </Text>
    </div>
  );
}

const statusColor = { prospect: 'blue', active: 'teal', lost: 'red' } as const;

/**
 * The customer 360: profile and needs, contacts, group, monthly revenue (and volume for freight), transactions,
 * the timeline of interactions, relationship activities and merges, the analytics card, and what later issues add.
 * Log an interaction in two clicks; edit (with optimistic concurrency) and archive.
 */
export function CustomerDetailPage() {
  const { t, i18n } = useTranslation();
  const params = useParams();
  const location = useLocation();
  const queryClient = useQueryClient();
  const id = Number(params.id);
  const validId = Number.isInteger(id) && id > 0;
  const query = useQuery({ ...overviewQuery(id), enabled: validId });
  const listSearch = (location.state as { listSearch?: string } | null)?.listSearch ?? '';
  const data = query.data;
  const account = data?.account;
  usePageTitle(account ? `${account.code} ${account.nameEn}` : t('customers.title'));
  const [editing, setEditing] = useState(false);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const archive = useMutation({
    mutationFn: (input: { version: number; archived: boolean }) => setArchived(id, input.version, input.archived),
    onSuccess: () => {
      setConfirmArchive(false);
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
    },
  });

  const none = t('account.none');
  const lang = i18n.language;
  const back = (
    <Anchor component={Link} to={{ pathname: '/customers', search: listSearch }} size="sm">
      ← {t('account.back')}
    </Anchor>
  );

  if (!validId || query.isError) {
    return (
      <Stack gap="md">
        {back}
        <ErrorAlert
          title={t('account.loadError')}
          error={validId ? query.error : new Error(t('account.invalidId', { id: params.id ?? '' }))}
        />
      </Stack>
    );
  }
  if (!data || !account) {
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

  const archived = account.archivedAt !== null;
  const totals = data.totals;
  const parent = data.group.parent;

  return (
    <Stack gap="md">
      {back}
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <Text ff="monospace" c="dimmed" size="sm">
              {account.code}
            </Text>
            <Badge color={statusColor[account.status]} variant="light" data-testid="account-status">
              {t(`accountStatus.${account.status}`)}
            </Badge>
            {archived ? (
              <Badge color="gray" variant="filled" data-testid="account-archived">
                {t('c360.archived')}
              </Badge>
            ) : null}
            {account.tags.map((tag) => (
              <Badge key={tag} color="gray" variant="outline" tt="none">
                {tag}
              </Badge>
            ))}
          </Group>
          <Title order={2} data-testid="account-name">
            {account.nameEn}
          </Title>
          {account.nameZh ? (
            <Text size="lg" lang="zh-Hant-HK">
              {account.nameZh}
            </Text>
          ) : null}
        </div>
        <Group gap="xs">
          {data.permissions.logInteraction && !archived ? (
            <LogInteractionButton accountId={account.id} contacts={data.contacts ?? []} />
          ) : null}
          {data.permissions.edit ? (
            <>
              <Button variant="default" onClick={() => setEditing(true)} data-testid="edit-account">
                {t('c360.edit')}
              </Button>
              <Button
                variant="subtle"
                color={archived ? 'teal' : 'red'}
                onClick={() =>
                  archived ? archive.mutate({ version: account.version, archived: false }) : setConfirmArchive(true)
                }
                loading={archive.isPending && archived}
                data-testid="archive-account"
              >
                {archived ? t('c360.restore') : t('c360.archive')}
              </Button>
            </>
          ) : null}
        </Group>
      </Group>

      {data.mergedInto ? (
        <Alert color="gray" title={t('c360.mergedIntoTitle')} data-testid="merged-into">
          {t('c360.mergedIntoBody')}{' '}
          <Anchor component={Link} to={`/customers/${data.mergedInto.id}`}>
            {data.mergedInto.code} {data.mergedInto.nameEn}
          </Anchor>
        </Alert>
      ) : archived ? (
        <Alert color="gray">{t('c360.archivedBody', { date: formatDate(account.archivedAt, lang) ?? '' })}</Alert>
      ) : null}
      {archive.isError ? (
        <ErrorAlert
          title={t('c360.archiveError')}
          error={
            isApiError(archive.error) && archive.error.status === 409
              ? new Error(t('c360.archiveConflict'))
              : archive.error
          }
        />
      ) : null}

      <Paper withBorder p="md" radius="md" data-testid="profile-card">
        <Title order={4} mb="sm">
          {t('account.profile')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Field label={t('account.fields.code')}>{account.code}</Field>
          <Field label={t('account.fields.nameEn')}>{account.nameEn}</Field>
          <Field label={t('account.fields.nameZh')}>{account.nameZh ?? none}</Field>
          <Field label={t('account.fields.kind')}>{t(`kind.${account.kind}`)}</Field>
          <Field label={t('account.fields.industry')}>{t(`industry.${account.industry}`)}</Field>
          <Field label={t('account.fields.parent')}>
            {parent ? (
              <Anchor component={Link} to={`/customers/${parent.id}`}>
                {parent.code} {parent.nameEn}
              </Anchor>
            ) : account.parentId !== null ? (
              `#${account.parentId}`
            ) : (
              none
            )}
          </Field>
          <Field label={t('account.fields.owner')}>{account.ownerName ?? none}</Field>
          <Field label={t('account.fields.created')}>{formatDate(account.createdAt, lang)}</Field>
          <Field label={t('account.fields.members')}>{formatCount(data.group.memberCount, lang)}</Field>
          <Field label={t('account.fields.contacts')}>
            {data.contacts === null ? none : formatCount(data.contacts.length, lang)}
          </Field>
          <Field label={t('accountForm.fields.source')}>{account.source ?? none}</Field>
          <Field label={t('c360.updated')}>{formatDate(account.updatedAt, lang)}</Field>
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="md" radius="md" data-testid="totals-card">
        <Title order={4} mb="sm">
          {t('account.activity')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Field label={t('account.fields.transactionCount')} testId="account-transactions">
            {totals ? formatCount(totals.transactionCount, lang) : none}
          </Field>
          <Field label={t('account.fields.revenue')} testId="account-revenue">
            {totals ? formatDecimal(totals.revenue, lang) : none}
          </Field>
          <Field label={t('account.fields.firstTransaction')}>
            {(totals && formatDate(totals.firstTransactionAt, lang)) ?? none}
          </Field>
          <Field label={t('account.fields.lastTransaction')}>
            {(totals && formatDate(totals.lastTransactionAt, lang)) ?? none}
          </Field>
        </SimpleGrid>
      </Paper>

      <AccountAnalyticsCard accountId={account.id} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <RevenueCard monthly={data.monthly} industry={account.industry} />
        <NeedsCard needs={account.needs} />
      </SimpleGrid>
      <TimelineCard overview={data} />
      <TransactionsCard accountId={account.id} allowed={data.permissions.readTransactions} />
      <ContactsCard
        accountId={account.id}
        contacts={data.contacts}
        editable={data.permissions.editContacts && !archived}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <GroupCard group={data.group} />
        <LaterCard />
      </SimpleGrid>

      <AccountFormModal opened={editing} onClose={() => setEditing(false)} account={account} />
      <Modal opened={confirmArchive} onClose={() => setConfirmArchive(false)} title={t('c360.archiveTitle')}>
        <Stack gap="md">
          <Text size="sm">{t('c360.archiveBody', { name: account.nameEn })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmArchive(false)}>
              {t('c360.cancel')}
            </Button>
            <Button
              color="red"
              loading={archive.isPending}
              onClick={() => archive.mutate({ version: account.version, archived: true })}
              data-testid="archive-confirm"
            >
              {t('c360.archive')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
