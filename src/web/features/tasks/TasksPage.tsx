import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ComplianceRow } from '../../../features/strategies/task.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { EChart } from '../../ui/EChart.js';
import { formatDate } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { formatPercent } from '../analytics/analytics.format.js';
import { strategyListQuery } from '../strategies/strategies.queries.js';
import { complianceOption, dueWindowEnd, rowLabel, sortTasks } from './tasks.logic.js';
import { complianceQuery, completeTask, myTasksQuery, taskKeys } from './tasks.queries.js';

const dash = '—';

/** /engagement: the signed-in user's due tasks from approved strategies, and plan-vs-actual cadence compliance. */
export function TasksPage() {
  const { t } = useTranslation();
  usePageTitle(t('tasks.title'));
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t('tasks.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('tasks.intro')}
        </Text>
      </div>
      <MyTasks />
      <ComplianceSection />
    </Stack>
  );
}

function MyTasks() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const [dueTo] = useState(() => dueWindowEnd(new Date(), 14));
  const tasks = useQuery(myTasksQuery(status, dueTo));
  const complete = useMutation({
    mutationFn: (id: number) => completeTask(id, ''),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.all }),
  });
  const items = sortTasks(tasks.data?.items ?? []);
  return (
    <Stack gap="sm">
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={(value) => setStatus(value)}
        data={[
          { value: 'open', label: t('tasks.open', { days: 14 }) },
          { value: 'done', label: t('tasks.done') },
        ]}
      />
      {tasks.isPending ? <Loader size="sm" /> : null}
      {tasks.isError ? <ErrorAlert title={t('tasks.errors.list')} error={tasks.error} /> : null}
      {complete.isError ? <ErrorAlert title={t('tasks.errors.complete')} error={complete.error} /> : null}
      {tasks.data && items.length === 0 ? (
        <Text c="dimmed" data-testid="tasks-empty">
          {t(status === 'open' ? 'tasks.emptyOpen' : 'tasks.emptyDone')}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={800}>
          <Table striped data-testid="task-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tasks.columns.due')}</Table.Th>
                <Table.Th>{t('tasks.columns.kind')}</Table.Th>
                <Table.Th>{t('tasks.columns.account')}</Table.Th>
                <Table.Th>{t('tasks.columns.segment')}</Table.Th>
                <Table.Th>{t('tasks.columns.strategy')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((task) => (
                <Table.Tr key={task.id} data-testid="task-row">
                  <Table.Td>
                    <Text size="sm" c={task.overdue ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(task.dueOn, i18n.language) ?? task.dueOn}
                    </Text>
                    {task.overdue ? (
                      <Badge color="red" variant="light" size="xs">
                        {t('tasks.overdue')}
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {t(`strategies.contactKind.${task.kind}`)}
                      {task.purpose === 'remedial' ? (
                        <Badge color="orange" variant="light" size="sm" data-testid="task-remedial">
                          {t('tasks.remedial')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${task.accountId}`} size="sm">
                      {task.accountCode} {task.accountName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{task.segmentName ?? dash}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/strategies/${task.strategyId}`} size="sm">
                      {task.strategyTitle}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">
                    {task.status === 'open' ? (
                      <Button
                        size="xs"
                        variant="light"
                        loading={complete.isPending && complete.variables === task.id}
                        onClick={() => complete.mutate(task.id)}
                        data-testid="task-complete"
                      >
                        {t('tasks.complete')}
                      </Button>
                    ) : (
                      <Badge color="teal" variant="light">
                        {t('tasks.completed')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}

function ComplianceSection() {
  const { t, i18n } = useTranslation();
  const strategies = useQuery(strategyListQuery());
  const approved = (strategies.data?.items ?? []).filter(
    (strategy) => strategy.status === 'approved' || strategy.status === 'retired',
  );
  const [picked, setPicked] = useState<number | null>(null);
  const strategyId = picked ?? approved[0]?.id ?? null;
  const [by, setBy] = useState<'segment' | 'owner'>('segment');
  const compliance = useQuery({ ...complianceQuery(strategyId ?? 0), enabled: strategyId !== null });
  const rows: ComplianceRow[] = compliance.data
    ? by === 'segment'
      ? compliance.data.bySegment
      : compliance.data.byOwner
    : [];
  const unassigned = t('tasks.unassigned');
  return (
    <Stack gap="sm">
      <Title order={3}>{t('tasks.compliance.title')}</Title>
      {strategies.isError ? <ErrorAlert title={t('tasks.errors.list')} error={strategies.error} /> : null}
      {strategies.data && approved.length === 0 ? <Text c="dimmed">{t('tasks.compliance.none')}</Text> : null}
      {approved.length > 0 ? (
        <Group align="end">
          <Select
            label={t('tasks.compliance.strategy')}
            data={approved.map((strategy) => ({ value: String(strategy.id), label: strategy.title }))}
            value={strategyId === null ? null : String(strategyId)}
            allowDeselect={false}
            onChange={(value) => value && setPicked(Number(value))}
            w={320}
          />
          <SegmentedControl
            value={by}
            onChange={(value) => setBy(value)}
            data={[
              { value: 'segment', label: t('tasks.compliance.bySegment') },
              { value: 'owner', label: t('tasks.compliance.byOwner') },
            ]}
          />
        </Group>
      ) : null}
      {compliance.isError ? <ErrorAlert title={t('tasks.errors.list')} error={compliance.error} /> : null}
      {compliance.data ? (
        <>
          <Text size="sm" c="dimmed">
            {t('tasks.compliance.period', {
              from: formatDate(compliance.data.from, i18n.language) ?? compliance.data.from,
              to: formatDate(compliance.data.to, i18n.language) ?? compliance.data.to,
            })}
          </Text>
          <EChart
            option={complianceOption(rows, by, {
              planned: t('tasks.compliance.planned'),
              done: t('tasks.compliance.done'),
              onTime: t('tasks.compliance.onTime'),
              unassigned,
            })}
            height={280}
            label={t('tasks.compliance.chartLabel')}
            testId="compliance-chart"
          />
          <Table striped data-testid="compliance-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{by === 'segment' ? t('tasks.columns.segment') : t('tasks.compliance.owner')}</Table.Th>
                <Table.Th ta="right">{t('tasks.compliance.planned')}</Table.Th>
                <Table.Th ta="right">{t('tasks.compliance.done')}</Table.Th>
                <Table.Th ta="right">{t('tasks.compliance.onTime')}</Table.Th>
                <Table.Th ta="right">{t('tasks.compliance.overdue')}</Table.Th>
                <Table.Th ta="right">{t('tasks.compliance.rate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...rows, compliance.data.total].map((row, index) => (
                <Table.Tr key={index} fw={index === rows.length ? 700 : undefined}>
                  <Table.Td>
                    {index === rows.length ? t('tasks.compliance.total') : rowLabel(row, by, unassigned)}
                  </Table.Td>
                  <Table.Td ta="right">{row.planned}</Table.Td>
                  <Table.Td ta="right">{row.done}</Table.Td>
                  <Table.Td ta="right">{row.onTime}</Table.Td>
                  <Table.Td ta="right">{row.overdue}</Table.Td>
                  <Table.Td ta="right">{formatPercent(row.compliance, i18n.language) ?? dash}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : null}
    </Stack>
  );
}
