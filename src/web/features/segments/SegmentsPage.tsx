import { Anchor, Button, Group, Loader, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { segmentIndustrySchema, type SegmentIndustry } from '../../../features/segments/segment-rule.schema.js';
import type { SegmentMember } from '../../../features/segments/segment.schema.js';
import { EChart } from '../../ui/EChart.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatDate } from '../../ui/format.js';
import { NotFoundPage } from '../../ui/NotFoundPage.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { AbcBadge, ChurnBadge } from '../analytics/AnalyticsBits.js';
import { formatCompact, formatMoney } from '../analytics/analytics.format.js';
import { SegmentRuleEditor } from './SegmentRuleEditor.js';
import { chronological, historyOption } from './segments.logic.js';
import {
  allSegmentsQuery,
  changesQuery,
  installDefaults,
  membersQuery,
  segmentKeys,
  segmentQuery,
  snapshotsQuery,
  takeSnapshot,
} from './segments.queries.js';

const dash = '—';

/** /segments/*: the segments with live member counts, and one segment's members and history. */
export function SegmentsArea() {
  return (
    <Routes>
      <Route index element={<SegmentList />} />
      <Route path="new" element={<SegmentRuleEditor />} />
      <Route path=":id" element={<SegmentDetail />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function SegmentList() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('segments.title'));
  const queryClient = useQueryClient();
  const list = useQuery(allSegmentsQuery());
  const [industry, setIndustry] = useState<SegmentIndustry>('freight');
  const install = useMutation({
    mutationFn: () => installDefaults(industry),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: segmentKeys.all }),
  });
  const items = (list.data?.items ?? []).filter((segment) => segment.archivedAt === null);
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('segments.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('segments.intro')}
        </Text>
      </div>
      <Group align="end">
        <Select
          label={t('segments.defaultsFor')}
          data={segmentIndustrySchema.options.map((value) => ({ value, label: t(`industry.${value}`) }))}
          value={industry}
          allowDeselect={false}
          onChange={(value) => value && setIndustry(value)}
          w={220}
        />
        <Button variant="default" loading={install.isPending} onClick={() => install.mutate()}>
          {t('segments.installDefaults')}
        </Button>
        <Button component={Link} to="/segments/new" data-testid="new-segment">
          {t('segments.newSegment')}
        </Button>
      </Group>
      {install.isError ? <ErrorAlert title={t('segments.errors.install')} error={install.error} /> : null}
      {list.isPending ? <Loader size="sm" /> : null}
      {list.isError ? <ErrorAlert title={t('segments.errors.list')} error={list.error} /> : null}
      {list.data && items.length === 0 ? <Text c="dimmed">{t('segments.empty')}</Text> : null}
      {items.length > 0 ? (
        <Table striped highlightOnHover data-testid="segment-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('segments.columns.name')}</Table.Th>
              <Table.Th>{t('segments.columns.industry')}</Table.Th>
              <Table.Th ta="right">{t('segments.columns.members')}</Table.Th>
              <Table.Th ta="right">{t('segments.columns.entered')}</Table.Th>
              <Table.Th ta="right">{t('segments.columns.left')}</Table.Th>
              <Table.Th>{t('segments.columns.lastSnapshot')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((segment) => (
              <Table.Tr key={segment.id} data-testid="segment-row">
                <Table.Td>
                  <Anchor component={Link} to={`/segments/${segment.id}`}>
                    {segment.name}
                  </Anchor>
                  {segment.description ? (
                    <Text size="xs" c="dimmed">
                      {segment.description}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{segment.industry ? t(`industry.${segment.industry}`) : t('industry.all')}</Table.Td>
                <Table.Td ta="right" data-testid="segment-member-count">
                  {segment.memberCount}
                </Table.Td>
                <Table.Td ta="right">{segment.lastSnapshot ? `+${segment.lastSnapshot.entered}` : dash}</Table.Td>
                <Table.Td ta="right">{segment.lastSnapshot ? `−${segment.lastSnapshot.left}` : dash}</Table.Td>
                <Table.Td>
                  {segment.lastSnapshot ? formatDate(segment.lastSnapshot.takenAt, i18n.language) : dash}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}

function SegmentDetail() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const queryClient = useQueryClient();
  const segment = useQuery({ ...segmentQuery(id), enabled: valid });
  const members = useQuery({ ...membersQuery(id), enabled: valid });
  const snapshots = useQuery({ ...snapshotsQuery(id), enabled: valid });
  const latest = chronological(snapshots.data?.items ?? []).at(-1);
  const changes = useQuery({ ...changesQuery(id, latest?.id ?? 0), enabled: latest !== undefined });
  const snapshot = useMutation({
    mutationFn: () => takeSnapshot(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: segmentKeys.all }),
  });
  usePageTitle(segment.data?.name ?? t('segments.title'));
  if (!valid) return <NotFoundPage />;
  if (segment.isPending) return <Loader size="sm" />;
  if (segment.isError) return <ErrorAlert title={t('segments.errors.one')} error={segment.error} />;
  const money = (value: number) => formatCompact(value, i18n.language) ?? String(value);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="start">
        <div>
          <Title order={2}>{segment.data.name}</Title>
          <Text c="dimmed" size="sm">
            {t('segments.detail.members', { count: segment.data.memberCount })}
          </Text>
        </div>
        <Button variant="default" loading={snapshot.isPending} onClick={() => snapshot.mutate()}>
          {t('segments.detail.snapshot')}
        </Button>
      </Group>
      {snapshot.isError ? <ErrorAlert title={t('segments.errors.install')} error={snapshot.error} /> : null}
      <Stack gap="xs">
        <Title order={3}>{t('segments.detail.history')}</Title>
        {snapshots.data && snapshots.data.items.length === 0 ? (
          <Text c="dimmed">{t('segments.detail.noSnapshots')}</Text>
        ) : null}
        {snapshots.data && snapshots.data.items.length > 0 ? (
          <EChart
            option={historyOption(snapshots.data.items, {
              members: t('segments.columns.members'),
              revenue: t('segments.detail.revenue'),
              formatDay: (iso) => formatDate(iso, i18n.language) ?? iso,
              formatMoney: money,
            })}
            height={280}
            label={t('segments.detail.history')}
            testId="segment-history-chart"
          />
        ) : null}
      </Stack>
      {changes.data ? (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <MemberChanges
            title={t('segments.detail.entered', { count: changes.data.entered.length })}
            rows={changes.data.entered}
          />
          <MemberChanges
            title={t('segments.detail.left', { count: changes.data.left.length })}
            rows={changes.data.left}
          />
        </SimpleGrid>
      ) : null}
      <Stack gap="xs">
        <Title order={3}>{t('segments.detail.preview')}</Title>
        {members.isError ? <ErrorAlert title={t('segments.errors.one')} error={members.error} /> : null}
        {members.data ? <MemberTable rows={members.data.items} /> : <Loader size="sm" />}
      </Stack>
    </Stack>
  );
}

function MemberChanges({ title, rows }: { title: string; rows: readonly SegmentMember[] }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      {rows.slice(0, 10).map((row) => (
        <Text key={row.accountId} size="sm">
          <Anchor component={Link} to={`/customers/${row.accountId}`}>
            {row.code}
          </Anchor>{' '}
          {row.nameEn}
        </Text>
      ))}
    </Paper>
  );
}

function MemberTable({ rows }: { rows: readonly SegmentMember[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped data-testid="segment-members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('segments.member.account')}</Table.Th>
            <Table.Th>{t('segments.member.owner')}</Table.Th>
            <Table.Th>ABC</Table.Th>
            <Table.Th>RFM</Table.Th>
            <Table.Th ta="right">{t('segments.member.clv')}</Table.Th>
            <Table.Th>{t('segments.member.churn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.accountId}>
              <Table.Td>
                <Anchor component={Link} to={`/customers/${row.accountId}`} size="sm">
                  {row.code}
                </Anchor>{' '}
                {i18n.language.startsWith('zh') && row.nameZh ? row.nameZh : row.nameEn}
              </Table.Td>
              <Table.Td>{row.ownerName ?? dash}</Table.Td>
              <Table.Td>
                <AbcBadge value={row.abcClass} />
              </Table.Td>
              <Table.Td>{row.rfmSegment ?? dash}</Table.Td>
              <Table.Td ta="right">{formatMoney(row.clv, i18n.language) ?? dash}</Table.Td>
              <Table.Td>
                <ChurnBadge value={row.churnClass} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
