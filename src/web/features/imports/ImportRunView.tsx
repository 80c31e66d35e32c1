import { Alert, Anchor, Badge, Group, Loader, Paper, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ImportSummary } from '../../../features/imports/import.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount, formatDate } from '../../ui/format.js';
import { errorReportHref, importQuery } from './imports.queries.js';
import { acceptedRows, isRunning, progressOf } from './imports.wizard.js';

const statusColor: Record<ImportSummary['status'], string> = { running: 'blue', completed: 'teal', failed: 'red' };

export function ImportStatusBadge({ status }: { status: ImportSummary['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor[status]} variant="light" data-testid="import-status">
      {t(`imports.status.${status}`)}
    </Badge>
  );
}

function Count({ label, value, color, testId }: { label: string; value: number; color?: string; testId: string }) {
  const { i18n } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={color} data-testid={testId}>
        {formatCount(value, i18n.language)}
      </Text>
    </Paper>
  );
}

/** One import: its progress while it runs (polled), then what it did and the error report. */
export function ImportRunView({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const query = useQuery(importQuery(id));
  const summary = query.data;
  if (query.isError) return <ErrorAlert title={t('imports.run.loadError')} error={query.error} />;
  if (!summary) {
    return (
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed">{t('imports.run.loading')}</Text>
      </Group>
    );
  }
  const lang = i18n.language;
  const running = isRunning(summary);
  return (
    <Stack gap="md" data-testid="import-run">
      <Group gap="sm">
        <Text fw={600}>{summary.fileName}</Text>
        <Badge variant="outline" color="gray">
          {t(`imports.entities.${summary.entity}`)}
        </Badge>
        <ImportStatusBadge status={summary.status} />
        <Text size="sm" c="dimmed">
          {t('imports.run.started', { date: formatDate(summary.startedAt, lang) ?? '' })}
        </Text>
      </Group>
      {running ? (
        <Stack gap={4}>
          <Progress value={progressOf(summary)} animated striped size="lg" data-testid="import-progress" />
          <Text size="sm" c="dimmed">
            {t('imports.run.progress', { rows: formatCount(summary.rowsDone, lang), percent: progressOf(summary) })}
          </Text>
        </Stack>
      ) : null}
      {summary.status === 'failed' ? (
        <Alert color="red" title={t('imports.run.failed')} role="alert">
          <Text size="sm">{summary.failure ?? ''}</Text>
          <Text size="sm" mt="xs">
            {t('imports.run.failedHint')}
          </Text>
        </Alert>
      ) : null}
      {summary.status === 'completed' ? (
        <Alert color={summary.rejected > 0 ? 'yellow' : 'teal'} title={t('imports.run.done')}>
          {t('imports.run.doneBody', {
            accepted: formatCount(acceptedRows(summary), lang),
            rejected: formatCount(summary.rejected, lang),
          })}
          {summary.resumed ? ` ${t('imports.run.resumed')}` : ''}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        <Count label={t('imports.counts.inserted')} value={summary.inserted} color="teal" testId="result-inserted" />
        <Count label={t('imports.counts.updated')} value={summary.updated} color="blue" testId="result-updated" />
        <Count label={t('imports.counts.unchanged')} value={summary.unchanged} testId="result-unchanged" />
        <Count
          label={t('imports.counts.rejected')}
          value={summary.rejected}
          color={summary.rejected > 0 ? 'red' : undefined}
          testId="result-rejected"
        />
      </SimpleGrid>
      {summary.rejected > 0 && !running ? (
        <Group gap="xs">
          <Anchor href={errorReportHref(id)} download={`import-${id}-errors.csv`} data-testid="error-report">
            {t('imports.run.errorReport')}
          </Anchor>
          <Text size="sm" c="dimmed">
            {t('imports.run.errorReportHint')}
          </Text>
        </Group>
      ) : null}
    </Stack>
  );
}
