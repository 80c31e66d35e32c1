import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Paper,
  Select,
  Slider,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import {
  departmentSchema,
  type Department,
  type ScheduleResult,
  type Strategy,
  type StrategyStatus,
} from '../../../features/strategies/strategy.schema.js';
import { formatDateTime, formatMoney, formatPercent } from '../analytics/analytics.format.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { NotFoundPage } from '../../ui/NotFoundPage.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { approvalState, describeChange } from './strategies.review.js';
import {
  addComment,
  budgetQuery,
  decideApproval,
  diffQuery,
  scenarioQuery,
  strategyKeys,
  strategyQuery,
  transitionStrategy,
  versionsQuery,
} from './strategies.queries.js';
import { BudgetSummary, Explanations, StatusBadge } from './StrategyBits.js';

const dash = '—';

/** /strategies/:id — the document per target, budget and return, downturn scenario, review and versions. */
export function StrategyDetailPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const strategy = useQuery({ ...strategyQuery(id), enabled: Number.isInteger(id) && id > 0 });
  usePageTitle(strategy.data?.title ?? t('strategies.title'));
  if (!Number.isInteger(id) || id <= 0) return <NotFoundPage />;
  if (strategy.isPending) return <Loader size="sm" />;
  if (strategy.isError) return <ErrorAlert title={t('strategies.errors.one')} error={strategy.error} />;
  return <StrategyView strategy={strategy.data} />;
}

const transitionLabel = {
  draft: 'strategies.lifecycle.toDraft',
  in_review: 'strategies.lifecycle.sendForReview',
  approved: 'strategies.lifecycle.approve',
  retired: 'strategies.lifecycle.retire',
} as const satisfies Record<StrategyStatus, string>;

function StrategyView({ strategy }: { strategy: Strategy }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [schedule, setSchedule] = useState<ScheduleResult | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: strategyKeys.all });
  const transition = useMutation({
    mutationFn: (to: StrategyStatus) => transitionStrategy(strategy.id, strategy.version, to),
    onSuccess: async (result) => {
      setSchedule(result.schedule);
      queryClient.setQueryData(strategyKeys.one(strategy.id), result.strategy);
      await refresh();
    },
  });
  const names = new Map(strategy.segments.map((segment) => [segment.id, segment]));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="start">
        <div>
          <Group gap="sm">
            <Title order={2} data-testid="strategy-title">
              {strategy.title}
            </Title>
            <StatusBadge status={strategy.status} />
            <Badge variant="outline" color="gray" data-testid="strategy-version">
              {t('strategies.versionN', { version: strategy.version })}
            </Badge>
          </Group>
          <Text c="dimmed" size="sm">
            {t('strategies.detail.context', {
              role: t(`strategies.marketRole.${strategy.document.context.marketRole}`),
              months: strategy.document.context.horizonMonths,
            })}
          </Text>
        </div>
        <Group gap="xs">
          {strategy.nextStatuses.map((to) => (
            <Button
              key={to}
              variant={to === 'approved' || to === 'in_review' ? 'filled' : 'default'}
              color={to === 'retired' ? 'red' : undefined}
              loading={transition.isPending && transition.variables === to}
              onClick={() => transition.mutate(to)}
              data-testid={`transition-${to}`}
            >
              {t(transitionLabel[to])}
            </Button>
          ))}
        </Group>
      </Group>
      {transition.isError ? <ErrorAlert title={t('strategies.errors.transition')} error={transition.error} /> : null}
      {schedule ? (
        <Alert color="teal" data-testid="schedule-result">
          {t('strategies.lifecycle.scheduled', {
            created: schedule.created,
            remedial: schedule.remedial,
            until: schedule.until,
          })}
        </Alert>
      ) : null}

      {strategy.status === 'in_review' || strategy.comments.length > 0 ? (
        <ReviewPanel strategy={strategy} onChange={refresh} />
      ) : null}

      <Stack gap="sm">
        <Title order={3}>{t('strategies.detail.targets')}</Title>
        {strategy.document.targets.map((target, index) => (
          <Paper key={target.segmentId} withBorder p="md" radius="md" data-testid="strategy-target">
            <Group justify="space-between">
              <Title order={4}>
                {index + 1}. {names.get(target.segmentId)?.name ?? `#${target.segmentId}`}
              </Title>
              <Text size="sm" c="dimmed">
                {t('strategies.detail.members', { count: names.get(target.segmentId)?.memberCount ?? 0 })}
              </Text>
            </Group>
            <Text size="sm" mt="xs">
              <b>{t('strategies.plan.objective')}:</b> {target.objective}
            </Text>
            {target.tactics.length > 0 ? (
              <>
                <Text size="sm" fw={700} mt="xs">
                  {t('strategies.plan.tactics')}
                </Text>
                <List size="sm">
                  {target.tactics.map((tactic) => (
                    <List.Item key={tactic}>{tactic}</List.Item>
                  ))}
                </List>
              </>
            ) : null}
            <Text size="sm" mt="xs">
              <b>{t('strategies.plan.channels')}:</b>{' '}
              {target.channels.map((channel) => t(`strategies.channel.${channel}`)).join('、') || dash}
            </Text>
            <Text size="sm" mt="xs">
              <b>{t('strategies.plan.cadence')}:</b>{' '}
              {target.cadence
                .map((item) =>
                  t('strategies.plan.cadenceItem', {
                    kind: t(`strategies.contactKind.${item.kind}`),
                    every: item.every,
                    unit: t(`strategies.unit.${item.unit}`),
                  }),
                )
                .join('; ') || dash}
            </Text>
            {target.kpis.length > 0 ? (
              <Text size="sm" mt="xs">
                <b>{t('strategies.plan.kpis')}:</b>{' '}
                {target.kpis.map((kpi) => `${kpi.name} ${kpi.target}${kpi.unit} (${kpi.reviewOn})`).join('; ')}
              </Text>
            ) : null}
          </Paper>
        ))}
      </Stack>

      <BudgetSection strategy={strategy} />
      <ScenarioSection strategy={strategy} />
      <VersionsSection strategy={strategy} language={i18n.language} />
    </Stack>
  );
}

function ReviewPanel({ strategy, onChange }: { strategy: Strategy; onChange: () => Promise<unknown> }) {
  const { t, i18n } = useTranslation();
  const [department, setDepartment] = useState<Department>('sales');
  const [body, setBody] = useState('');
  const decide = useMutation({
    mutationFn: (dept: Department) =>
      decideApproval(strategy.id, { version: strategy.version, department: dept, decision: 'approve' }),
    onSuccess: onChange,
  });
  const comment = useMutation({
    mutationFn: () => addComment(strategy.id, department, body.trim()),
    onSuccess: async () => {
      setBody('');
      await onChange();
    },
  });
  const states = approvalState(strategy.document.review.requiredDepartments, strategy.approvals);
  return (
    <Paper withBorder p="md" radius="md" data-testid="review-panel">
      <Title order={3}>{t('strategies.review.title')}</Title>
      {strategy.status === 'in_review' && states.length > 0 ? (
        <Table mt="xs">
          <Table.Tbody>
            {states.map((row) => (
              <Table.Tr key={row.department} data-testid="review-department">
                <Table.Td>{t(`strategies.department.${row.department}`)}</Table.Td>
                <Table.Td>
                  {row.decision ? (
                    <Badge color={row.decision === 'approve' ? 'teal' : 'orange'} variant="light">
                      {t(`strategies.review.decision.${row.decision}`)}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('strategies.review.waiting')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {strategy.status === 'in_review' && row.decision !== 'approve' ? (
                    <Button
                      size="xs"
                      variant="light"
                      loading={decide.isPending && decide.variables === row.department}
                      onClick={() => decide.mutate(row.department)}
                      data-testid={`approve-department-${row.department}`}
                    >
                      {t('strategies.review.approveFor')}
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {decide.isError ? <ErrorAlert title={t('strategies.errors.transition')} error={decide.error} /> : null}
      {strategy.comments.map((item) => (
        <Text key={item.id} size="sm" mt="xs">
          <b>{t(`strategies.department.${item.department}`)}</b> · {item.authorName ?? dash} ·{' '}
          {formatDateTime(item.createdAt, i18n.language)}: {item.body}
        </Text>
      ))}
      <Group align="end" mt="sm">
        <Select
          label={t('strategies.review.department')}
          data={departmentSchema.options.map((value) => ({ value, label: t(`strategies.department.${value}`) }))}
          value={department}
          allowDeselect={false}
          onChange={(value) => value && setDepartment(value)}
          w={200}
        />
        <Textarea
          label={t('strategies.review.comment')}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          style={{ flex: 1 }}
          autosize
          data-testid="review-comment"
        />
        <Button
          variant="default"
          disabled={body.trim() === ''}
          loading={comment.isPending}
          onClick={() => comment.mutate()}
          data-testid="review-comment-add"
        >
          {t('strategies.review.addComment')}
        </Button>
      </Group>
      {comment.isError ? <ErrorAlert title={t('strategies.errors.transition')} error={comment.error} /> : null}
    </Paper>
  );
}

function BudgetSection({ strategy }: { strategy: Strategy }) {
  const { t } = useTranslation();
  const budget = useQuery(budgetQuery(strategy.id, strategy.version));
  return (
    <Stack gap="sm">
      <Title order={3}>{t('strategies.detail.budget')}</Title>
      {budget.isPending ? <Loader size="sm" /> : null}
      {budget.isError ? <ErrorAlert title={t('strategies.errors.budget')} error={budget.error} /> : null}
      {budget.data ? (
        <>
          <BudgetSummary budget={budget.data} />
          <Explanations items={budget.data.explanations} />
        </>
      ) : null}
    </Stack>
  );
}

function ScenarioSection({ strategy }: { strategy: Strategy }) {
  const { t, i18n } = useTranslation();
  const [drop, setDrop] = useState(20);
  const [debounced] = useDebouncedValue(drop, 300);
  const scenario = useQuery(scenarioQuery(strategy.id, strategy.version, debounced));
  const money = (value: number | null) => formatMoney(value, i18n.language) ?? dash;
  return (
    <Stack gap="sm">
      <Title order={3}>{t('strategies.scenario.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('strategies.scenario.help')}
      </Text>
      <Group align="center">
        <Text size="sm" w={200}>
          {t('strategies.scenario.drop', { percent: drop })}
        </Text>
        <Slider
          value={drop}
          onChange={setDrop}
          min={0}
          max={60}
          step={5}
          style={{ flex: 1 }}
          label={(value) => `−${value}%`}
          aria-label={t('strategies.scenario.sliderLabel')}
          data-testid="scenario-slider"
        />
      </Group>
      {scenario.isError ? <ErrorAlert title={t('strategies.errors.budget')} error={scenario.error} /> : null}
      {scenario.data ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="scenario-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('strategies.scenario.rank')}</Table.Th>
                <Table.Th>{t('strategies.budget.segment')}</Table.Th>
                <Table.Th ta="right">{t('strategies.scenario.revenueChange')}</Table.Th>
                <Table.Th ta="right">{t('strategies.scenario.budget')}</Table.Th>
                <Table.Th ta="right">{t('strategies.scenario.budgetHeld')}</Table.Th>
                <Table.Th ta="right">{t('strategies.scenario.returnBefore')}</Table.Th>
                <Table.Th ta="right">{t('strategies.scenario.returnAfter')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {scenario.data.segments.map((row) => (
                <Table.Tr key={row.segmentId}>
                  <Table.Td>
                    {row.rankAfter}
                    {row.rankAfter !== row.rankBefore ? (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({t('strategies.scenario.was', { rank: row.rankBefore })})
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{row.name}</Table.Td>
                  <Table.Td ta="right">{formatPercent(row.revenueChange, i18n.language) ?? dash}</Table.Td>
                  <Table.Td ta="right">{money(row.budget)}</Table.Td>
                  <Table.Td ta="right">{money(row.budgetHeldToRevenue)}</Table.Td>
                  <Table.Td ta="right">{money(row.expectedReturnBefore)}</Table.Td>
                  <Table.Td ta="right">{money(row.expectedReturnAfter)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {scenario.data ? <Explanations items={scenario.data.explanations} /> : null}
    </Stack>
  );
}

function VersionsSection({ strategy, language }: { strategy: Strategy; language: string }) {
  const { t } = useTranslation();
  const versions = useQuery(versionsQuery(strategy.id));
  const items = versions.data?.items ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const fromVersion = from ?? items[items.length - 1]?.version ?? 1;
  const toVersion = to ?? items[0]?.version ?? strategy.version;
  const canCompare = items.length > 1 && fromVersion !== toVersion;
  const diff = useQuery({
    ...diffQuery(strategy.id, Math.min(fromVersion, toVersion), Math.max(fromVersion, toVersion)),
    enabled: canCompare,
  });
  const options = items.map((item) => ({
    value: String(item.version),
    label: t('strategies.versionN', { version: item.version }),
  }));
  return (
    <Stack gap="sm">
      <Title order={3}>{t('strategies.versions.title')}</Title>
      <Table data-testid="version-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('strategies.columns.version')}</Table.Th>
            <Table.Th>{t('strategies.columns.status')}</Table.Th>
            <Table.Th>{t('strategies.versions.change')}</Table.Th>
            <Table.Th>{t('strategies.versions.savedBy')}</Table.Th>
            <Table.Th>{t('strategies.columns.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.version}>
              <Table.Td>{item.version}</Table.Td>
              <Table.Td>
                <StatusBadge status={item.status} />
              </Table.Td>
              <Table.Td>
                {t(`strategies.versions.kinds.${item.change}`)}
                {item.note ? ` — ${item.note}` : ''}
              </Table.Td>
              <Table.Td>{item.savedByName ?? dash}</Table.Td>
              <Table.Td>{formatDateTime(item.savedAt, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {items.length > 1 ? (
        <Group align="end">
          <Select
            label={t('strategies.versions.from')}
            data={options}
            value={String(fromVersion)}
            allowDeselect={false}
            onChange={(value) => value && setFrom(Number(value))}
            w={160}
          />
          <Select
            label={t('strategies.versions.to')}
            data={options}
            value={String(toVersion)}
            allowDeselect={false}
            onChange={(value) => value && setTo(Number(value))}
            w={160}
          />
        </Group>
      ) : null}
      {diff.data ? (
        <Table striped data-testid="version-diff">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('strategies.versions.path')}</Table.Th>
              <Table.Th>{t('strategies.versions.change')}</Table.Th>
              <Table.Th>{t('strategies.versionN', { version: diff.data.from.version })}</Table.Th>
              <Table.Th>{t('strategies.versionN', { version: diff.data.to.version })}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {diff.data.changes.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={4}>{t('strategies.versions.noChanges')}</Table.Td>
              </Table.Tr>
            ) : (
              diff.data.changes.map((change, index) => {
                const row = describeChange(change);
                return (
                  <Table.Tr key={`${change.path}-${index}`}>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {change.path}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`strategies.versions.changes.${change.change}`)}</Table.Td>
                    <Table.Td>{row.before}</Table.Td>
                    <Table.Td>{row.after}</Table.Td>
                  </Table.Tr>
                );
              })
            )}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
