import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Loader,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { FieldCatalogue } from '../../../features/segments/segment-rule.schema.js';
import type { Preview, Segment } from '../../../features/segments/segment.schema.js';
import { apiGet, apiSend } from '../../api.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import {
  editableFields,
  newCondition,
  takesList,
  takesValue,
  toRule,
  type DraftCondition,
  type DraftRule,
} from './segments.logic.js';
import { segmentKeys } from './segments.queries.js';

/** /segments/new: and/or conditions over the API's field catalogue, with a live member count (debounced preview). */
export function SegmentRuleEditor() {
  const { t } = useTranslation();
  usePageTitle(t('segments.editor.title'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const catalogue = useQuery({
    queryKey: ['segments', 'fields'],
    queryFn: ({ signal }) => apiGet<FieldCatalogue>('/api/segments/fields', {}, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const fields = editableFields(catalogue.data?.fields ?? []);
  const [name, setName] = useState('');
  const [draft, setDraft] = useState<DraftRule>({ combinator: 'and', conditions: [] });
  const rule = toRule(draft, fields);
  const [debouncedRule] = useDebouncedValue(rule, 400);
  const preview = useQuery({
    queryKey: ['segments', 'preview', debouncedRule],
    queryFn: ({ signal }) =>
      apiSend<Preview>('POST', '/api/segments/preview', { rule: debouncedRule, limit: 5 }, { signal }),
    enabled: debouncedRule !== null,
    placeholderData: (previous) => previous,
  });
  const save = useMutation({
    mutationFn: () => apiSend<Segment>('POST', '/api/segments', { name: name.trim(), rule }),
    onSuccess: async (segment) => {
      await queryClient.invalidateQueries({ queryKey: segmentKeys.all });
      void navigate(`/segments/${segment.id}`);
    },
  });
  const setCondition = (index: number, next: DraftCondition | null) =>
    setDraft({
      ...draft,
      conditions: next
        ? draft.conditions.map((condition, i) => (i === index ? next : condition))
        : draft.conditions.filter((_, i) => i !== index),
    });
  const fieldOptions = fields.map((info) => ({ value: info.field, label: info.label }));

  return (
    <Stack gap="md">
      <Title order={2}>{t('segments.editor.title')}</Title>
      {catalogue.isError ? <ErrorAlert title={t('segments.errors.list')} error={catalogue.error} /> : null}
      {catalogue.isPending ? <Loader size="sm" /> : null}
      <TextInput
        label={t('segments.editor.name')}
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        maw={480}
        data-testid="segment-name"
      />
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <SegmentedControl
            w="fit-content"
            value={draft.combinator}
            onChange={(value) => setDraft({ ...draft, combinator: value === 'or' ? 'or' : 'and' })}
            data={[
              { value: 'and', label: t('segments.editor.all') },
              { value: 'or', label: t('segments.editor.any') },
            ]}
          />
          {draft.conditions.map((condition, index) => {
            const info = fields.find((candidate) => candidate.field === condition.field);
            return (
              <Group key={index} align="end" data-testid="rule-condition">
                <Checkbox
                  label={t('segments.editor.not')}
                  checked={condition.negate}
                  onChange={(event) => setCondition(index, { ...condition, negate: event.currentTarget.checked })}
                  mb={8}
                />
                <Select
                  label={t('segments.editor.field')}
                  data={fieldOptions}
                  value={condition.field}
                  searchable
                  allowDeselect={false}
                  onChange={(value) => {
                    const next = fields.find((candidate) => candidate.field === value);
                    if (next) setCondition(index, newCondition(next));
                  }}
                  w={260}
                />
                <Select
                  label={t('segments.editor.operator')}
                  data={(info?.operators ?? []).map((operator) => ({
                    value: operator,
                    label: t(`segments.operator.${operator}`),
                  }))}
                  value={condition.operator}
                  allowDeselect={false}
                  onChange={(value) =>
                    value &&
                    setCondition(index, {
                      ...condition,
                      operator: value,
                      value: takesList(value) ? [] : '',
                    })
                  }
                  w={200}
                />
                {takesValue(condition.operator) ? (
                  info?.values && (takesList(condition.operator) || info.valueType === 'enum') ? (
                    takesList(condition.operator) ? (
                      <MultiSelect
                        label={t('segments.editor.value')}
                        data={info.values}
                        value={Array.isArray(condition.value) ? condition.value : []}
                        onChange={(values) => setCondition(index, { ...condition, value: values })}
                        w={280}
                      />
                    ) : (
                      <Select
                        label={t('segments.editor.value')}
                        data={info.values}
                        value={typeof condition.value === 'string' ? condition.value : null}
                        onChange={(value) => setCondition(index, { ...condition, value: value ?? '' })}
                        w={220}
                      />
                    )
                  ) : (
                    <TextInput
                      label={t('segments.editor.value')}
                      value={Array.isArray(condition.value) ? condition.value.join(', ') : condition.value}
                      onChange={(event) => setCondition(index, { ...condition, value: event.currentTarget.value })}
                      w={220}
                    />
                  )
                ) : null}
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('segments.editor.remove')}
                  onClick={() => setCondition(index, null)}
                  mb={4}
                >
                  ×
                </ActionIcon>
              </Group>
            );
          })}
          <Button
            variant="default"
            w="fit-content"
            disabled={fields.length === 0}
            onClick={() => {
              const first = fields[0];
              if (first) setDraft({ ...draft, conditions: [...draft.conditions, newCondition(first)] });
            }}
            data-testid="rule-add"
          >
            {t('segments.editor.add')}
          </Button>
        </Stack>
      </Paper>
      <Group>
        <Text fw={600} data-testid="rule-count">
          {rule === null
            ? t('segments.editor.incomplete')
            : preview.data
              ? t('segments.editor.count', { count: preview.data.count })
              : t('segments.editor.counting')}
        </Text>
        {preview.isFetching ? <Loader size="xs" /> : null}
      </Group>
      {preview.isError ? <ErrorAlert title={t('segments.errors.install')} error={preview.error} /> : null}
      {preview.data && rule !== null ? (
        <Text size="sm" c="dimmed">
          {preview.data.members.map((member) => `${member.code} ${member.nameEn}`).join(' · ')}
        </Text>
      ) : null}
      <Button
        w="fit-content"
        disabled={rule === null || name.trim() === ''}
        loading={save.isPending}
        onClick={() => save.mutate()}
        data-testid="segment-save"
      >
        {t('segments.editor.save')}
      </Button>
      {save.isError ? <ErrorAlert title={t('segments.errors.install')} error={save.error} /> : null}
    </Stack>
  );
}
