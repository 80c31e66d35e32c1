import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Pagination,
  Paper,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AccountRef, Contact, CustomerOverview, Needs } from '../../../features/accounts/customer.schema.js';
import { EChart } from '../../ui/EChart.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount, formatDate, formatDecimal, localeOf } from '../../ui/format.js';
import { useFactorLabel } from './AccountFormModal.js';
import { ContactFormModal } from './ContactFormModal.js';
import {
  buildTimeline,
  choiceFactorOption,
  groupByMonth,
  performanceGaps,
  revenueChartOption,
  type TimelineEntry,
} from './customer360.js';
import { transactionPageSize, transactionsQuery, timelineQuery } from './customers.queries.js';
import { AddActivityButton, LogInteractionButton } from './InteractionForms.js';

export function Card({
  title,
  action,
  children,
  testId,
}: {
  title: string;
  action?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={4}>{title}</Title>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

const monthLabel = (month: string, language: string): string =>
  new Intl.DateTimeFormat(localeOf(language), { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

const dateTimeLabel = (iso: string, language: string): string =>
  new Intl.DateTimeFormat(localeOf(language), {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Hong_Kong',
  }).format(new Date(iso));

// ---------------------------------------------------------------------------------------------------------

/** Services used, stated requirements, and choice factors: importance to the customer against our performance. */
export function NeedsCard({ needs }: { needs: Needs }) {
  const { t } = useTranslation();
  const factorLabel = useFactorLabel();
  const option = useMemo(
    () =>
      choiceFactorOption(needs.choiceFactors, {
        importance: t('c360.needs.importance'),
        performance: t('c360.needs.performance'),
        factor: factorLabel,
      }),
    [needs.choiceFactors, t, factorLabel],
  );
  const gaps = performanceGaps(needs.choiceFactors);
  const empty = needs.servicesUsed.length === 0 && needs.requirements === null && needs.choiceFactors.length === 0;
  return (
    <Card title={t('c360.needs.title')} testId="needs-card">
      {empty ? (
        <Text c="dimmed" size="sm">
          {t('c360.needs.empty')}
        </Text>
      ) : (
        <Stack gap="sm">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('c360.needs.servicesUsed')}
            </Text>
            <Group gap={6} mt={4}>
              {needs.servicesUsed.length > 0 ? (
                needs.servicesUsed.map((service) => (
                  <Badge key={service} variant="light" tt="none">
                    {service}
                  </Badge>
                ))
              ) : (
                <Text size="sm">{t('account.none')}</Text>
              )}
            </Group>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('c360.needs.requirements')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {needs.requirements ?? t('account.none')}
            </Text>
          </div>
          {needs.choiceFactors.length > 0 ? (
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('c360.needs.factors')}
              </Text>
              <EChart
                option={option}
                height={Math.max(120, 44 + needs.choiceFactors.length * 36)}
                label={t('c360.needs.chartLabel')}
                testId="factors-chart"
              />
              {gaps.length > 0 ? (
                <Text size="sm" c="orange.8">
                  {t('c360.needs.gaps', {
                    factors: gaps
                      .map((gap) => t('c360.needs.gap', { factor: factorLabel(gap.factor), gap: gap.gap }))
                      .join(t('imports.listSeparator')),
                  })}
                </Text>
              ) : (
                <Text size="sm" c="teal.8">
                  {t('c360.needs.noGaps')}
                </Text>
              )}
            </div>
          ) : null}
        </Stack>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------

const languageKeys = { en: 'en', 'zh-Hant': 'zhHant', 'zh-Hans': 'zhHans' } as const;

export function ContactsCard({
  accountId,
  contacts,
  editable,
}: {
  accountId: number;
  contacts: Contact[] | null;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ contact: Contact | null } | null>(null);
  const none = (
    <Text span c="dimmed" size="sm">
      {t('account.none')}
    </Text>
  );
  const hidden = (
    <Text span c="dimmed" size="sm" fs="italic">
      {t('c360.contacts.hidden')}
    </Text>
  );
  return (
    <Card
      title={t('c360.contacts.title')}
      testId="contacts-card"
      action={
        editable ? (
          <Button variant="default" size="xs" onClick={() => setEditing({ contact: null })} data-testid="add-contact">
            {t('contactForm.add')}
          </Button>
        ) : undefined
      }
    >
      {contacts === null ? (
        <Text c="dimmed" size="sm">
          {t('c360.noAccess')}
        </Text>
      ) : contacts.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('c360.contacts.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={6} fz="sm" data-testid="contacts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('c360.contacts.name')}</Table.Th>
                <Table.Th>{t('c360.contacts.email')}</Table.Th>
                <Table.Th>{t('c360.contacts.phone')}</Table.Th>
                <Table.Th>{t('c360.contacts.language')}</Table.Th>
                <Table.Th>{t('c360.contacts.channels')}</Table.Th>
                {editable ? <Table.Th w={60} /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contacts.map((contact) => (
                <Table.Tr key={contact.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {contact.name ?? t('account.none')}
                    </Text>
                    {contact.title ? (
                      <Text size="xs" c="dimmed">
                        {contact.title}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {contact.masked.includes('email') ? (
                      hidden
                    ) : contact.email ? (
                      <Anchor href={`mailto:${contact.email}`}>{contact.email}</Anchor>
                    ) : (
                      none
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {contact.masked.includes('phone') ? (
                      hidden
                    ) : contact.phone ? (
                      <Anchor href={`tel:${contact.phone}`}>{contact.phone}</Anchor>
                    ) : (
                      none
                    )}
                  </Table.Td>
                  <Table.Td>
                    {contact.language && contact.language in languageKeys
                      ? t(`c360.languages.${languageKeys[contact.language as keyof typeof languageKeys]}`)
                      : (contact.language ?? none)}
                  </Table.Td>
                  <Table.Td>
                    {contact.channels.length > 0
                      ? contact.channels.map((channel) => (
                          <Badge key={channel} variant="outline" color="gray" size="sm" mr={4} tt="none">
                            {t(`c360.contactChannels.${channel as 'email'}`, { defaultValue: channel })}
                          </Badge>
                        ))
                      : none}
                  </Table.Td>
                  {editable ? (
                    <Table.Td>
                      <Button variant="subtle" size="compact-xs" onClick={() => setEditing({ contact })}>
                        {t('c360.edit')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ContactFormModal
        accountId={accountId}
        contact={editing?.contact ?? null}
        opened={editing !== null}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------

function RefList({ refs, total, empty }: { refs: AccountRef[]; total: number; empty: string }) {
  const { t } = useTranslation();
  if (refs.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  return (
    <Stack gap={2}>
      {refs.map((ref) => (
        <Group key={ref.id} gap={6} wrap="nowrap">
          <Anchor
            component={Link}
            to={`/customers/${ref.id}`}
            size="sm"
            ff="monospace"
            style={{ whiteSpace: 'nowrap' }}
          >
            {ref.code}
          </Anchor>
          <Text size="sm" lineClamp={1}>
            {ref.nameEn}
            {ref.nameZh ? (
              <Text span c="dimmed" lang="zh-Hant-HK">
                {' '}
                {ref.nameZh}
              </Text>
            ) : null}
          </Text>
          {ref.archived ? (
            <Badge size="xs" color="gray" variant="light">
              {t('c360.archived')}
            </Badge>
          ) : null}
        </Group>
      ))}
      {total > refs.length ? (
        <Text size="xs" c="dimmed">
          {t('c360.group.more', { count: total - refs.length })}
        </Text>
      ) : null}
    </Stack>
  );
}

export function GroupCard({ group }: { group: CustomerOverview['group'] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('c360.group.title')} testId="group-card">
      <Stack gap="sm">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
            {t('c360.group.parent')}
          </Text>
          <RefList
            refs={group.parent ? [group.parent] : []}
            total={group.parent ? 1 : 0}
            empty={t('c360.group.noParent')}
          />
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
            {t('c360.group.siblings', { count: group.siblingCount })}
          </Text>
          <RefList refs={group.siblings} total={group.siblingCount} empty={t('c360.group.noSiblings')} />
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
            {t('c360.group.members', { count: group.memberCount })}
          </Text>
          <RefList refs={group.members} total={group.memberCount} empty={t('c360.group.noMembers')} />
        </div>
      </Stack>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------

export function RevenueCard({ monthly, industry }: { monthly: CustomerOverview['monthly']; industry: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const option = useMemo(() => {
    if (!monthly) return null;
    const number = new Intl.NumberFormat(localeOf(lang), { notation: 'compact', maximumFractionDigits: 1 });
    const money = new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return revenueChartOption(monthly.points, {
      revenue: t('c360.revenue.revenue', { currency: monthly.currency }),
      volume: monthly.volumeUnit ? t('c360.revenue.volume', { unit: monthly.volumeUnit }) : null,
      month: (month) => monthLabel(month, lang),
      money: (value) => `${monthly.currency} ${money.format(value)}`,
      number: (value) => number.format(value),
    });
  }, [monthly, lang, t]);
  const title = industry === 'freight' ? t('c360.revenue.titleFreight') : t('c360.revenue.title');
  return (
    <Card title={title} testId="revenue-card">
      {!monthly || !option ? (
        <Text c="dimmed" size="sm">
          {t('c360.noAccess')}
        </Text>
      ) : (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {t('c360.revenue.range', { from: monthLabel(monthly.from, lang), to: monthLabel(monthly.to, lang) })}
            {monthly.mixedCurrencies ? ` ${t('c360.revenue.mixed', { currency: monthly.currency })}` : ''}
          </Text>
          <EChart option={option} height={280} label={title} testId="revenue-chart" />
        </Stack>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------

export function TransactionsCard({ accountId, allowed }: { accountId: number; allowed: boolean }) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const query = useQuery({
    ...transactionsQuery(accountId, page),
    enabled: allowed,
    placeholderData: keepPreviousData,
  });
  const lang = i18n.language;
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / transactionPageSize)) : 1;
  const none = (
    <Text span c="dimmed" size="sm">
      {t('account.none')}
    </Text>
  );
  return (
    <Card
      title={t('c360.transactions.title')}
      testId="transactions-card"
      action={query.isFetching ? <Loader size="xs" /> : undefined}
    >
      {!allowed ? (
        <Text c="dimmed" size="sm">
          {t('c360.noAccess')}
        </Text>
      ) : query.isError ? (
        <ErrorAlert title={t('c360.transactions.loadError')} error={query.error} onRetry={() => void query.refetch()} />
      ) : !data ? (
        <Loader size="sm" />
      ) : data.total === 0 ? (
        <Text c="dimmed" size="sm">
          {t('c360.transactions.empty')}
        </Text>
      ) : (
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing={6} fz="sm" data-testid="transactions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('c360.transactions.date')}</Table.Th>
                  <Table.Th>{t('c360.transactions.id')}</Table.Th>
                  <Table.Th>{t('c360.transactions.product')}</Table.Th>
                  <Table.Th ta="right">{t('c360.transactions.quantity')}</Table.Th>
                  <Table.Th ta="right">{t('c360.transactions.amount')}</Table.Th>
                  {data.masked.includes('cost') ? null : <Table.Th ta="right">{t('c360.transactions.cost')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((item) => (
                  <Table.Tr key={item.id} data-testid="transaction-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(item.occurredAt, lang)}</Table.Td>
                    <Table.Td ff="monospace">{item.externalId}</Table.Td>
                    <Table.Td>{item.productLine ?? none}</Table.Td>
                    <Table.Td ta="right">
                      {item.quantity !== null
                        ? `${formatDecimal(item.quantity, lang).replace(/\.00$/, '')} ${item.unit ?? ''}`
                        : none}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {item.currency} {formatDecimal(item.amount, lang)}
                    </Table.Td>
                    {data.masked.includes('cost') ? null : (
                      <Table.Td ta="right">{item.cost !== null ? formatDecimal(item.cost, lang) : none}</Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="transactions-range">
              {t('c360.transactions.range', {
                from: formatCount((page - 1) * transactionPageSize + 1, lang),
                to: formatCount(Math.min(page * transactionPageSize, data.total), lang),
                total: formatCount(data.total, lang),
              })}
            </Text>
            {pages > 1 ? (
              <Pagination total={pages} value={page} onChange={setPage} size="sm" data-testid="transactions-pages" />
            ) : null}
          </Group>
        </Stack>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------

const channelColor: Record<string, string> = {
  phone: 'teal',
  email: 'blue',
  visit: 'grape',
  meeting: 'violet',
  whatsapp: 'green',
  wechat: 'lime',
  event: 'orange',
};

function TimelineItemBody({ entry, lang }: { entry: TimelineEntry; lang: string }) {
  const { t } = useTranslation();
  if (entry.kind === 'interaction') {
    const item = entry.item;
    return (
      <>
        <Group gap={6}>
          <Badge color={channelColor[item.channel] ?? 'gray'} variant="light" size="sm">
            {t(`c360.channels.${item.channel}`)}
          </Badge>
          <Text size="xs" c="dimmed">
            {t(`c360.direction.${item.direction}`)} · {dateTimeLabel(item.occurredAt, lang)}
            {item.userName ? ` · ${item.userName}` : ''}
          </Text>
        </Group>
        {item.subject ? (
          <Text size="sm" fw={500} mt={2}>
            {item.subject}
          </Text>
        ) : null}
        {item.notes ? (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} lineClamp={4}>
            {item.notes}
          </Text>
        ) : null}
      </>
    );
  }
  if (entry.kind === 'activity') {
    const item = entry.item;
    return (
      <>
        <Group gap={6}>
          <Badge color="pink" variant="light" size="sm">
            {t(`c360.activityKinds.${item.kind}`)}
          </Badge>
          <Text size="xs" c="dimmed">
            {formatDate(entry.at, lang)}
            {item.userName ? ` · ${item.userName}` : ''}
          </Text>
        </Group>
        <Text size="sm" mt={2}>
          {item.description}
          {item.value !== null ? (
            <Text span c="dimmed">
              {' '}
              · {item.currency} {formatDecimal(item.value, lang)}
            </Text>
          ) : null}
        </Text>
      </>
    );
  }
  const item = entry.item;
  const moved = Object.entries(item.moved)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => t(`c360.moved.${kind as 'transactions'}`, { count, defaultValue: `${kind} ${count}` }))
    .join(t('imports.listSeparator'));
  return (
    <>
      <Group gap={6}>
        <Badge color="gray" variant="filled" size="sm">
          {t('c360.timeline.merge')}
        </Badge>
        <Text size="xs" c="dimmed">
          {dateTimeLabel(item.mergedAt, lang)}
          {item.mergedBy ? ` · ${item.mergedBy}` : ''}
        </Text>
      </Group>
      <Text size="sm" mt={2}>
        {item.entity === 'accounts'
          ? t('c360.timeline.mergedAccount', { label: item.mergedLabel })
          : t('c360.timeline.mergedContact', { label: item.mergedLabel })}
      </Text>
      {moved ? (
        <Text size="xs" c="dimmed">
          {t('c360.timeline.moved', { moved })}
        </Text>
      ) : null}
      {item.reason ? (
        <Text size="xs" c="dimmed">
          {t('c360.timeline.reason', { reason: item.reason })}
        </Text>
      ) : null}
    </>
  );
}

/** Interactions, relationship activities and merges on one line of time, newest first, by month. */
export function TimelineCard({ overview }: { overview: CustomerOverview }) {
  const { t, i18n } = useTranslation();
  const accountId = overview.account.id;
  const query = useQuery(timelineQuery(accountId));
  const lang = i18n.language;
  const groups = useMemo(() => (query.data ? groupByMonth(buildTimeline(query.data)) : []), [query.data]);
  const canLog = overview.permissions.logInteraction && overview.account.archivedAt === null;
  return (
    <Card
      title={t('c360.timeline.title')}
      testId="timeline-card"
      action={
        canLog ? (
          <Group gap="xs">
            <AddActivityButton accountId={accountId} />
            <LogInteractionButton accountId={accountId} contacts={overview.contacts ?? []} variant="light" />
          </Group>
        ) : undefined
      }
    >
      {query.isError ? (
        <ErrorAlert title={t('c360.timeline.loadError')} error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <Loader size="sm" />
      ) : groups.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="timeline-empty">
          {query.data.interactions === null ? t('c360.noAccess') : t('c360.timeline.empty')}
        </Text>
      ) : (
        <Stack gap="md" data-testid="timeline">
          {groups.map((group) => (
            <div key={group.month}>
              <Text size="sm" fw={700} c="dimmed" mb={6}>
                {monthLabel(group.month, lang)}
              </Text>
              <Timeline bulletSize={14} lineWidth={2} active={-1}>
                {group.entries.map((entry) => (
                  <Timeline.Item key={entry.key} data-testid={`timeline-${entry.kind}`}>
                    <TimelineItemBody entry={entry} lang={lang} />
                  </Timeline.Item>
                ))}
              </Timeline>
            </div>
          ))}
        </Stack>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------

/** What later issues add to this page, said plainly rather than left out. */
export function LaterCard() {
  const { t } = useTranslation();
  const items = ['complaints', 'surveys', 'strategy'] as const;
  return (
    <Card title={t('c360.later.title')} testId="later-card">
      <Stack gap="sm">
        {items.map((item) => (
          <div key={item}>
            <Group gap={6} mb={4}>
              <Text fw={600} size="sm">
                {t(`c360.later.${item}`)}
              </Text>
              <Badge variant="light" color="gray" size="xs">
                {t('notBuilt.badge')}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t(`c360.later.${item}Body`)}
            </Text>
          </div>
        ))}
      </Stack>
    </Card>
  );
}
