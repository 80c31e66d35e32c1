import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  emptyAccountFilter,
  type AccountFilter,
  type CustomCondition,
  type CustomFieldDefinition,
} from '../../../features/accounts/account-filter.schema.js';
import { customFieldsQuery } from './customers.queries.js';

const statuses = ['prospect', 'active', 'lost'] as const;
const kinds = ['company', 'person'] as const;

const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** The one condition the panel keeps per custom field (a range is one between, or one bound). */
const conditionOf = (filter: AccountFilter, key: string): CustomCondition | undefined =>
  filter.custom.find((condition) => condition.key === key);

function withCondition(filter: AccountFilter, key: string, condition: CustomCondition | null): AccountFilter {
  const others = filter.custom.filter((item) => item.key !== key);
  return { ...filter, custom: condition ? [...others, condition] : others };
}

/** Low and high ends of a number or date range from its condition, and back. */
function rangeOf(condition: CustomCondition | undefined): [string, string] {
  if (!condition) return ['', ''];
  if (condition.op === 'between') return [condition.values[0] ?? '', condition.values[1] ?? ''];
  if (condition.op === 'gte') return [condition.values[0] ?? '', ''];
  if (condition.op === 'lte') return ['', condition.values[0] ?? ''];
  if (condition.op === 'eq') return [condition.values[0] ?? '', condition.values[0] ?? ''];
  return ['', ''];
}

function rangeCondition(key: string, low: string, high: string): CustomCondition | null {
  if (low && high) return { key, op: 'between', values: [low, high] };
  if (low) return { key, op: 'gte', values: [low] };
  if (high) return { key, op: 'lte', values: [high] };
  return null;
}

interface CustomFieldInputProps {
  field: CustomFieldDefinition;
  filter: AccountFilter;
  onChange: (filter: AccountFilter) => void;
  label: string;
}

function CustomFieldInput({ field, filter, onChange, label }: CustomFieldInputProps) {
  const { t } = useTranslation();
  const condition = conditionOf(filter, field.key);
  const set = (next: CustomCondition | null) => onChange(withCondition(filter, field.key, next));
  const testId = `filter-custom-${field.key}`;
  switch (field.type) {
    case 'number':
    case 'date': {
      const [low, high] = rangeOf(condition);
      const input = (value: string, placeholder: string, update: (text: string) => void, part: string) =>
        field.type === 'number' ? (
          <NumberInput
            value={value}
            onChange={(next) => update(next === '' ? '' : String(next))}
            placeholder={placeholder}
            aria-label={`${label} ${placeholder}`}
            w={110}
            data-testid={`${testId}-${part}`}
          />
        ) : (
          <TextInput
            type="date"
            value={value}
            onChange={(event) => update(event.currentTarget.value)}
            aria-label={`${label} ${placeholder}`}
            w={150}
            data-testid={`${testId}-${part}`}
          />
        );
      return (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {label}
          </Text>
          <Group gap="xs" wrap="nowrap">
            {input(low, t('customerFilters.from'), (text) => set(rangeCondition(field.key, text, high)), 'from')}
            {input(high, t('customerFilters.to'), (text) => set(rangeCondition(field.key, low, text)), 'to')}
          </Group>
        </Stack>
      );
    }
    case 'boolean':
      return (
        <Select
          label={label}
          value={condition && (condition.op === 'true' || condition.op === 'false') ? condition.op : 'any'}
          onChange={(value) =>
            set(value === 'true' || value === 'false' ? { key: field.key, op: value, values: [] } : null)
          }
          data={[
            { value: 'any', label: t('customerFilters.any') },
            { value: 'true', label: t('customerFilters.yes') },
            { value: 'false', label: t('customerFilters.no') },
          ]}
          allowDeselect={false}
          data-testid={testId}
        />
      );
    case 'choice':
      return (
        <MultiSelect
          label={label}
          value={condition?.op === 'in' || condition?.op === 'eq' ? condition.values : []}
          onChange={(values) => set(values.length > 0 ? { key: field.key, op: 'in', values } : null)}
          data={field.choices ?? []}
          placeholder={t('customerFilters.any')}
          data-testid={testId}
        />
      );
    default:
      return (
        <TextInput
          label={label}
          description={t('customerFilters.containsHint')}
          value={condition?.op === 'contains' || condition?.op === 'eq' ? (condition.values[0] ?? '') : ''}
          onChange={(event) => {
            const text = event.currentTarget.value;
            set(text.trim() ? { key: field.key, op: 'contains', values: [text.trim()] } : null);
          }}
          data-testid={testId}
        />
      );
  }
}

interface AccountFilterPanelProps {
  filter: AccountFilter;
  myUserId: number | null;
  onApply: (filter: AccountFilter) => void;
}

/**
 * The list's filter panel: account columns, custom fields (from their definitions, with inputs that fit their
 * type) and the needs profile. Edits stay a draft until "Apply", so typing does not refetch on every key.
 */
export function AccountFilterPanel({ filter, myUserId, onApply }: AccountFilterPanelProps) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<AccountFilter>(filter);
  const fields = useQuery(customFieldsQuery());
  const factor = draft.factors[0];
  const setFactor = (next: Partial<NonNullable<typeof factor>> | null) => {
    const merged = next === null ? null : { factor: factor?.factor ?? '', ...factor, ...next };
    setDraft({
      ...draft,
      factors: merged && merged.factor.trim() ? [{ ...merged, factor: merged.factor.trim() }] : [],
    });
  };
  const number = (value: string | number) => (value === '' ? undefined : Number(value));
  const chinese = i18n.language.startsWith('zh');

  return (
    <Paper withBorder p="md" data-testid="filter-panel">
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <MultiSelect
            label={t('customerFilters.status')}
            value={draft.status}
            onChange={(values) => setDraft({ ...draft, status: statuses.filter((status) => values.includes(status)) })}
            data={statuses.map((status) => ({ value: status, label: t(`accountStatus.${status}`) }))}
            placeholder={t('customerFilters.any')}
            data-testid="filter-status"
          />
          <MultiSelect
            label={t('customerFilters.kind')}
            value={draft.kind}
            onChange={(values) => setDraft({ ...draft, kind: kinds.filter((kind) => values.includes(kind)) })}
            data={kinds.map((kind) => ({ value: kind, label: t(`customerFilters.kinds.${kind}`) }))}
            placeholder={t('customerFilters.any')}
            data-testid="filter-kind"
          />
          <TextInput
            label={t('customerFilters.tags')}
            description={t('customerFilters.tagsHint')}
            value={draft.tags.join(', ')}
            onChange={(event) => setDraft({ ...draft, tags: splitList(event.currentTarget.value) })}
            data-testid="filter-tags"
          />
          <TextInput
            label={t('customerFilters.group')}
            description={t('customerFilters.groupHint')}
            value={draft.group ?? ''}
            onChange={(event) => {
              const { group: _group, ...rest } = draft;
              const value = event.currentTarget.value.trim();
              setDraft(value ? { ...rest, group: value } : rest);
            }}
            data-testid="filter-group"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('customerFilters.created')}
            </Text>
            <Group gap="xs" wrap="nowrap" grow>
              <TextInput
                miw={0}
                type="date"
                aria-label={`${t('customerFilters.created')} ${t('customerFilters.from')}`}
                value={draft.createdFrom ?? ''}
                onChange={(event) => {
                  const { createdFrom: _from, ...rest } = draft;
                  const value = event.currentTarget.value;
                  setDraft(value ? { ...rest, createdFrom: value } : rest);
                }}
                data-testid="filter-created-from"
              />
              <TextInput
                miw={0}
                type="date"
                aria-label={`${t('customerFilters.created')} ${t('customerFilters.to')}`}
                value={draft.createdTo ?? ''}
                onChange={(event) => {
                  const { createdTo: _to, ...rest } = draft;
                  const value = event.currentTarget.value;
                  setDraft(value ? { ...rest, createdTo: value } : rest);
                }}
                data-testid="filter-created-to"
              />
            </Group>
          </Stack>
          <Stack gap={6} justify="flex-end">
            <Checkbox
              label={t('customerFilters.mine')}
              checked={myUserId !== null && draft.owner.length === 1 && draft.owner[0] === myUserId}
              disabled={myUserId === null}
              onChange={(event) =>
                setDraft({ ...draft, owner: event.currentTarget.checked && myUserId !== null ? [myUserId] : [] })
              }
              data-testid="filter-mine"
            />
            <Checkbox
              label={t('customerFilters.includeArchived')}
              checked={draft.includeArchived}
              onChange={(event) => setDraft({ ...draft, includeArchived: event.currentTarget.checked })}
              data-testid="filter-archived"
            />
          </Stack>
        </SimpleGrid>

        <Title order={5}>{t('customerFilters.needs')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <TextInput
            label={t('customerFilters.services')}
            description={t('customerFilters.servicesHint')}
            value={draft.services.join(', ')}
            onChange={(event) => setDraft({ ...draft, services: splitList(event.currentTarget.value) })}
            data-testid="filter-services"
          />
          <TextInput
            label={t('customerFilters.factor')}
            description={t('customerFilters.factorHint')}
            value={factor?.factor ?? ''}
            onChange={(event) => setFactor({ factor: event.currentTarget.value })}
            data-testid="filter-factor"
          />
          <NumberInput
            label={t('customerFilters.minImportance')}
            min={1}
            max={5}
            value={factor?.minImportance ?? ''}
            onChange={(value) => setFactor({ minImportance: number(value) })}
            disabled={!factor}
            data-testid="filter-factor-importance"
          />
          <NumberInput
            label={t('customerFilters.minGap')}
            description={t('customerFilters.minGapHint')}
            min={-4}
            max={4}
            value={factor?.minGap ?? ''}
            onChange={(value) => setFactor({ minGap: number(value) })}
            disabled={!factor}
            data-testid="filter-factor-gap"
          />
        </SimpleGrid>

        {fields.data && fields.data.items.length > 0 ? (
          <>
            <Title order={5}>{t('customerFilters.customFields')}</Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
              {fields.data.items.map((field) => (
                <CustomFieldInput
                  key={field.key}
                  field={field}
                  filter={draft}
                  onChange={setDraft}
                  label={(chinese ? field.labelZh : null) ?? field.labelEn}
                />
              ))}
            </SimpleGrid>
          </>
        ) : null}

        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setDraft(emptyAccountFilter)} data-testid="filters-clear">
            {t('customerFilters.clear')}
          </Button>
          <Button onClick={() => onApply(draft)} data-testid="filters-apply">
            {t('customerFilters.apply')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
