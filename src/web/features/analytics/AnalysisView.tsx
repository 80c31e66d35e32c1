import {
  Alert,
  Button,
  Center,
  Group,
  List,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { AnalysisKind, AnalysisRun, RunRequestInput } from '../../../features/analytics/analytics.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount, formatDate } from '../../ui/format.js';
import { formatDateTime, formatNumber } from './analytics.format.js';
import { parseWarning } from './analytics.messages.js';
import { afterRun, latestRunQuery, runAnalysis, runListQuery, runQuery } from './analytics.queries.js';

/**
 * The frame of every analytics tab: which run is shown (the latest, or one picked from the history), its as-of
 * date and figures, the parameters form with "Run again" (POST), the running and empty states, and the run's
 * warnings in plain words. The tab draws the results.
 */
interface RunControl {
  kind: AnalysisKind;
  hasRun: boolean;
  running: boolean;
  run: (parameters: Record<string, unknown>, asOf: string) => void;
}

const RunContext = createContext<RunControl | null>(null);

/** The shown run: ?run=<id> from the history, else the latest completed one (null: none yet). */
function useShownRun(kind: AnalysisKind) {
  const [search] = useSearchParams();
  const picked = Number(search.get('run'));
  const hasPick = Number.isInteger(picked) && picked > 0;
  const latest = useQuery({ ...latestRunQuery(kind), enabled: !hasPick });
  const one = useQuery({ ...runQuery(picked), enabled: hasPick });
  const query = hasPick ? one : latest;
  const run: AnalysisRun | null | undefined = hasPick ? (one.data?.kind === kind ? one.data : undefined) : latest.data;
  return { run, query };
}

export function AnalysisView({
  kind,
  form,
  children,
}: {
  kind: AnalysisKind;
  form: (run: AnalysisRun | null) => ReactNode;
  children: (run: AnalysisRun) => ReactNode;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const { run, query } = useShownRun(kind);
  const mutation = useMutation({
    mutationFn: (request: RunRequestInput) => runAnalysis(request),
    onSuccess: async (created) => {
      if (search.has('run')) setSearch({}, { replace: true });
      await afterRun(queryClient, created);
    },
  });

  if (query.isError) {
    return <ErrorAlert title={t('analytics.run.loadError')} error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (run === undefined) {
    return (
      <Center py="xl">
        <Group gap="sm">
          <Loader size="sm" />
          <Text c="dimmed">{t('analytics.run.loading')}</Text>
        </Group>
      </Center>
    );
  }

  const control: RunControl = {
    kind,
    hasRun: run !== null,
    running: mutation.isPending,
    run: (parameters, asOf) => mutation.mutate({ kind, parameters, ...(asOf ? { asOf } : {}) }),
  };
  const warnings = run && Array.isArray(run.results.warnings) ? (run.results.warnings as string[]) : [];

  return (
    <Stack gap="md">
      {run ? (
        <RunHeader run={run} />
      ) : (
        <Paper withBorder p="lg" radius="md" data-testid="analysis-empty">
          <Title order={4}>{t('analytics.run.emptyTitle', { name: t(`analytics.tabs.${kind}`) })}</Title>
          <Text c="dimmed" mt="xs">
            {t('analytics.run.emptyBody')}
          </Text>
        </Paper>
      )}
      <RunContext.Provider value={control}>
        <Paper withBorder p="md" radius="md" key={run?.id ?? 'none'}>
          <Title order={5} mb="sm">
            {t('analytics.run.parameters')}
          </Title>
          {form(run)}
        </Paper>
      </RunContext.Provider>
      {mutation.isPending ? (
        <Group gap="sm" data-testid="analysis-running">
          <Loader size="sm" />
          <Text c="dimmed">{t('analytics.run.running')}</Text>
        </Group>
      ) : null}
      {mutation.isError ? <ErrorAlert title={t('analytics.run.runError')} error={mutation.error} /> : null}
      {warnings.length > 0 ? <Warnings warnings={warnings} /> : null}
      {run ? children(run) : null}
    </Stack>
  );
}

function RunHeader({ run }: { run: AnalysisRun }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [search, setSearch] = useSearchParams();
  const history = useQuery(runListQuery(run.kind));
  const completed = (history.data?.items ?? []).filter((item) => item.status === 'completed');
  const latestId = completed[0]?.id;
  const options = completed.map((item) => ({
    value: String(item.id),
    label: t('analytics.run.historyOption', {
      id: item.id,
      asOf: formatDate(item.asOf, lang) ?? item.asOf,
      ranAt: formatDateTime(item.completedAt ?? item.createdAt, lang),
    }),
  }));
  if (!options.some((option) => option.value === String(run.id))) {
    options.unshift({ value: String(run.id), label: `#${run.id}` });
  }
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
      <div>
        <Text fw={600} data-testid="run-as-of">
          {t('analytics.run.asOf', { date: formatDate(run.asOf, lang) ?? run.asOf })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('analytics.run.details', {
            ranAt: formatDateTime(run.completedAt ?? run.createdAt, lang),
            customers: formatCount(run.customerCount, lang),
            seconds: formatNumber((run.durationMs ?? 0) / 1000, lang, 2),
          })}
        </Text>
      </div>
      <Select
        label={t('analytics.run.history')}
        data={options}
        value={String(run.id)}
        onChange={(value) => {
          if (!value) return;
          const next = new URLSearchParams(search);
          if (Number(value) === latestId) next.delete('run');
          else next.set('run', value);
          setSearch(next, { replace: true });
        }}
        allowDeselect={false}
        w={360}
        data-testid="run-history"
      />
    </Group>
  );
}

/** The as-of field and the Run button at the foot of every parameters form. */
export function RunControls({ parameters, disabled }: { parameters: Record<string, unknown>; disabled?: boolean }) {
  const { t } = useTranslation();
  const control = useContext(RunContext);
  const [asOf, setAsOf] = useState('');
  if (!control) return null;
  return (
    <Group align="flex-end" gap="sm" mt="md">
      <TextInput
        type="date"
        label={t('analytics.run.asOfLabel')}
        description={t('analytics.run.asOfHint')}
        value={asOf}
        onChange={(event) => setAsOf(event.currentTarget.value)}
        w={220}
      />
      <Button
        onClick={() => control.run(parameters, asOf)}
        loading={control.running}
        disabled={disabled}
        data-testid="run-analysis"
      >
        {control.hasRun ? t('analytics.run.again') : t('analytics.run.first')}
      </Button>
    </Group>
  );
}

/** A run's warnings, in the reader's language when the sentence is a known one, else as the API wrote it. */
export function Warnings({ warnings }: { warnings: string[] }) {
  const { t } = useTranslation();
  // The values are parsed from the sentence, so their names are checked by the parser's tests, not by the key types.
  const translate = t as unknown as (key: string, values: Record<string, string>) => string;
  return (
    <Alert color="yellow" variant="light" title={t('analytics.run.warnings')} data-testid="analysis-warnings">
      <List size="sm" spacing={4}>
        {warnings.map((warning) => {
          const parsed = parseWarning(warning);
          return (
            <List.Item key={warning} title={warning}>
              {parsed ? translate(`analytics.warning.${parsed.key}`, parsed.values) : warning}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
