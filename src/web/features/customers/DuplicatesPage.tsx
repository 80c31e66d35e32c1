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
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type {
  DuplicateEntity,
  DuplicatePair,
  DuplicateReason,
  DuplicateRecord,
} from '../../../features/accounts/customer.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount, formatDate } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { accountKeys, duplicatesQuery, merge } from './customers.queries.js';

function ReasonBadge({ reason }: { reason: DuplicateReason }) {
  const { t } = useTranslation();
  const percent = reason.similarity !== null ? Math.round(reason.similarity * 100) : null;
  const text =
    reason.kind === 'email' || reason.kind === 'phone'
      ? t(`duplicates.reasons.${reason.kind}`, { value: reason.value ?? t('duplicates.hiddenValue') })
      : t(`duplicates.reasons.${reason.kind}`, { percent: percent ?? 0 });
  return (
    <Badge
      variant="light"
      color={reason.kind === 'email' || reason.kind === 'phone' ? 'red' : 'orange'}
      tt="none"
      data-testid="duplicate-reason"
    >
      {text}
    </Badge>
  );
}

function RecordSummary({ record, entity }: { record: DuplicateRecord; entity: DuplicateEntity }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Anchor component={Link} to={`/customers/${record.accountId}`} ff="monospace" size="sm">
          {record.code}
        </Anchor>
        <Text fw={600} size="sm" lineClamp={1}>
          {record.name ?? t('account.none')}
        </Text>
      </Group>
      {record.nameZh ? (
        <Text size="sm" lang="zh-Hant-HK">
          {record.nameZh}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed">
        {entity === 'accounts'
          ? t('duplicates.accountFacts', {
              industry: t(`industry.${record.detail as 'freight'}`, { defaultValue: record.detail ?? '' }),
              transactions: formatCount(record.transactions, lang),
              contacts: formatCount(record.contacts, lang),
              interactions: formatCount(record.interactions, lang),
              created: formatDate(record.createdAt, lang) ?? '',
            })
          : t('duplicates.contactFacts', {
              account: record.detail ?? '',
              interactions: formatCount(record.interactions, lang),
              created: formatDate(record.createdAt, lang) ?? '',
            })}
      </Text>
    </Stack>
  );
}

/** Confirmation of a merge: choose which record survives (the one with more history is suggested). */
function MergeModal({ pair, onClose }: { pair: DuplicatePair; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const weight = (record: DuplicateRecord) => record.transactions * 10 + record.contacts + record.interactions;
  const suggested = weight(pair.b) > weight(pair.a) ? pair.b : pair.a;
  const [survivorId, setSurvivorId] = useState(String(suggested.id));
  const [reason, setReason] = useState('');
  const survivor = String(pair.a.id) === survivorId ? pair.a : pair.b;
  const merged = survivor === pair.a ? pair.b : pair.a;
  const run = useMutation({
    mutationFn: () =>
      merge(pair.entity, { survivorId: survivor.id, mergedId: merged.id, reason: reason.trim() || null }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onClose();
    },
  });
  const label = (record: DuplicateRecord) => `${record.code} · ${record.name ?? ''}`;
  return (
    <Modal opened onClose={onClose} title={t('duplicates.mergeTitle')} size="lg">
      <Stack gap="md">
        <Text size="sm">{t(`duplicates.mergeIntro.${pair.entity}`)}</Text>
        <Radio.Group value={survivorId} onChange={setSurvivorId} label={t('duplicates.keep')}>
          <Stack gap="xs" mt="xs">
            {[pair.a, pair.b].map((record) => (
              <Radio
                key={record.id}
                value={String(record.id)}
                label={label(record)}
                description={record.id === suggested.id ? t('duplicates.suggested') : undefined}
                data-testid={`survivor-${record.id}`}
              />
            ))}
          </Stack>
        </Radio.Group>
        <Alert color="orange" data-testid="merge-consequence">
          {t(`duplicates.consequence.${pair.entity}`, { survivor: label(survivor), merged: label(merged) })}
        </Alert>
        <Textarea
          label={t('duplicates.reason')}
          placeholder={t('duplicates.reasonPlaceholder')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          autosize
          minRows={2}
        />
        {run.isError ? <ErrorAlert title={t('duplicates.mergeError')} error={run.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('c360.cancel')}
          </Button>
          <Button color="orange" onClick={() => run.mutate()} loading={run.isPending} data-testid="merge-confirm">
            {t('duplicates.mergeConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Likely duplicate accounts or contacts with the reasons, each mergeable after choosing the survivor. */
export function DuplicatesPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('duplicates.title'));
  const [search, setSearch] = useSearchParams();
  const entity: DuplicateEntity = search.get('entity') === 'contacts' ? 'contacts' : 'accounts';
  const query = useQuery(duplicatesQuery(entity));
  const [merging, setMerging] = useState<DuplicatePair | null>(null);
  const items = query.data?.items ?? [];
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers" size="sm">
        ← {t('account.back')}
      </Anchor>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('duplicates.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('duplicates.intro')}
          </Text>
        </div>
        <SegmentedControl
          data={[
            { value: 'accounts', label: t('duplicates.accounts') },
            { value: 'contacts', label: t('duplicates.contacts') },
          ]}
          value={entity}
          onChange={(value) => setSearch(value === 'contacts' ? { entity: 'contacts' } : {}, { replace: true })}
          data-testid="duplicates-entity"
        />
      </Group>
      {query.isError ? (
        <ErrorAlert title={t('duplicates.loadError')} error={query.error} onRetry={() => void query.refetch()} />
      ) : null}
      {query.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : null}
      {query.data && items.length === 0 ? (
        <Text c="dimmed" data-testid="duplicates-empty">
          {t('duplicates.empty')}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Text size="sm" c="dimmed">
          {t('duplicates.count', { count: items.length, formatted: formatCount(items.length, i18n.language) })}
        </Text>
      ) : null}
      {items.map((pair) => (
        <Paper key={`${pair.a.id}:${pair.b.id}`} withBorder p="md" radius="md" data-testid="duplicate-pair">
          <Group justify="space-between" align="flex-start" mb="sm">
            <Group gap={6}>
              {pair.reasons.map((reason) => (
                <ReasonBadge key={reason.kind} reason={reason} />
              ))}
            </Group>
            <Button size="xs" color="orange" variant="light" onClick={() => setMerging(pair)} data-testid="merge-open">
              {t('duplicates.merge')}
            </Button>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <RecordSummary record={pair.a} entity={pair.entity} />
            <RecordSummary record={pair.b} entity={pair.entity} />
          </SimpleGrid>
        </Paper>
      ))}
      {merging ? <MergeModal pair={merging} onClose={() => setMerging(null)} /> : null}
    </Stack>
  );
}
