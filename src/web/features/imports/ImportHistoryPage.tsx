import { Anchor, Button, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { errorReportHref, importHistoryQuery } from './imports.queries.js';
import { ImportRunView, ImportStatusBadge } from './ImportRunView.js';

const dateTime = (iso: string, language: string): string =>
  new Intl.DateTimeFormat(language === 'zh-Hant' ? 'zh-HK' : 'en-HK', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Hong_Kong',
  }).format(new Date(iso));

/** The imports the role may see, newest first: when, who, which file, what it did, and its error report. */
export function ImportHistoryPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('imports.history.title'));
  const navigate = useNavigate();
  const history = useQuery({
    ...importHistoryQuery(),
    refetchInterval: (query) => (query.state.data?.items.some((item) => item.status === 'running') ? 1000 : false),
  });
  const lang = i18n.language;
  const items = history.data?.items ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Anchor component={Link} to="/customers" size="sm">
            ← {t('account.back')}
          </Anchor>
          <Title order={2}>{t('imports.history.title')}</Title>
        </div>
        <Button component={Link} to="/customers/import" data-testid="new-import">
          {t('imports.history.new')}
        </Button>
      </Group>
      {history.isError ? (
        <ErrorAlert
          title={t('imports.history.loadError')}
          error={history.error}
          onRetry={() => void history.refetch()}
        />
      ) : null}
      {history.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : null}
      {history.data && items.length === 0 ? (
        <Text c="dimmed" data-testid="imports-empty">
          {t('imports.history.empty')}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="imports-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.history.started')}</Table.Th>
                <Table.Th>{t('imports.history.startedBy')}</Table.Th>
                <Table.Th>{t('imports.history.file')}</Table.Th>
                <Table.Th>{t('imports.history.entity')}</Table.Th>
                <Table.Th>{t('imports.history.status')}</Table.Th>
                <Table.Th ta="right">{t('imports.counts.inserted')}</Table.Th>
                <Table.Th ta="right">{t('imports.counts.updated')}</Table.Th>
                <Table.Th ta="right">{t('imports.counts.unchanged')}</Table.Th>
                <Table.Th ta="right">{t('imports.counts.rejected')}</Table.Th>
                <Table.Th>{t('imports.history.report')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr
                  key={item.importId ?? item.startedAt}
                  data-testid="import-row"
                  style={{ cursor: 'pointer' }}
                  onClick={() => item.importId !== null && void navigate(`/customers/imports/${item.importId}`)}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(item.startedAt, lang)}</Table.Td>
                  <Table.Td data-testid="import-started-by">
                    {item.startedBy ? (
                      item.startedBy.name
                    ) : (
                      <Text size="sm" c="dimmed" span>
                        {t('imports.history.commandLine')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{item.fileName}</Table.Td>
                  <Table.Td>{t(`imports.entities.${item.entity}`)}</Table.Td>
                  <Table.Td>
                    <ImportStatusBadge status={item.status} />
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(item.inserted, lang)}</Table.Td>
                  <Table.Td ta="right">{formatCount(item.updated, lang)}</Table.Td>
                  <Table.Td ta="right">{formatCount(item.unchanged, lang)}</Table.Td>
                  <Table.Td ta="right" c={item.rejected > 0 ? 'red' : undefined}>
                    {formatCount(item.rejected, lang)}
                  </Table.Td>
                  <Table.Td>
                    {item.rejected > 0 && item.importId !== null ? (
                      <Anchor
                        href={errorReportHref(item.importId)}
                        onClick={(event) => event.stopPropagation()}
                        size="sm"
                      >
                        {t('imports.history.download')}
                      </Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('account.none')}
                      </Text>
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

/** One import of the history: its progress or result. */
export function ImportResultPage() {
  const { t } = useTranslation();
  const params = useParams();
  const id = Number(params.id);
  usePageTitle(t('imports.history.one', { id: params.id ?? '' }));
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers/imports" size="sm">
        ← {t('imports.history.back')}
      </Anchor>
      <Title order={2}>{t('imports.history.one', { id: params.id ?? '' })}</Title>
      {Number.isInteger(id) && id > 0 ? (
        <ImportRunView id={id} />
      ) : (
        <ErrorAlert
          title={t('imports.run.loadError')}
          error={new Error(t('imports.history.badId', { id: params.id ?? '' }))}
        />
      )}
    </Stack>
  );
}
