import {
  ActionIcon,
  Alert,
  Button,
  Group,
  List,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountProfile, ChoiceFactor, StaleEditDetails } from '../../../features/accounts/customer.schema.js';
import { isApiError } from '../../api.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import {
  changedSince,
  draftOf,
  editedFields,
  normaliseDraft,
  rebaseDraft,
  type AccountDraft,
  type FieldChangeView,
} from './customer360.js';
import { industries } from './customers.params.js';
import { accountKeys, createAccount, updateAccount } from './customers.queries.js';

const statuses = ['prospect', 'active', 'lost'] as const;
const kinds = ['company', 'person'] as const;
export const knownFactors = ['price', 'transit_time', 'reliability', 'coverage', 'service'] as const;

const emptyDraft: AccountDraft = {
  code: '',
  nameEn: '',
  nameZh: null,
  kind: 'company',
  industry: 'freight',
  status: 'active',
  source: null,
  tags: [],
  needs: { servicesUsed: [], requirements: null, choiceFactors: [] },
};

/** A factor's name in the current language (free-text factors as typed). */
export function useFactorLabel() {
  const { t, i18n } = useTranslation();
  return (factor: string): string =>
    i18n.exists(`c360.factors.${factor}`) ? t(`c360.factors.${factor}` as 'c360.factors.price') : factor;
}

/** How a changed value reads in the conflict message. */
function useValueText() {
  const { t } = useTranslation();
  const factor = useFactorLabel();
  return (field: FieldChangeView['field'], value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('account.none');
    if (field === 'status') return t(`accountStatus.${value as 'active'}`);
    if (field === 'industry') return t(`industry.${value as 'freight'}`);
    if (field === 'kind') return t(`kind.${value as 'company'}`);
    if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : t('account.none');
    if (field === 'needs' && typeof value === 'object') {
      const needs = value as AccountDraft['needs'];
      return [
        needs.servicesUsed.join(', '),
        needs.requirements ?? '',
        needs.choiceFactors
          .map((item: ChoiceFactor) => `${factor(item.factor)} ${item.importance}/${item.performance}`)
          .join(', '),
      ]
        .filter(Boolean)
        .join(' · ');
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  };
}

/**
 * Create or edit an account. An edit sends only the fields changed, with the version the form was opened on; when
 * someone saved in between (409) it shows what they changed and lets the user reload or save over it knowingly.
 */
export function AccountFormModal({
  opened,
  onClose,
  account,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  /** null: create a new account. */
  account: AccountProfile | null;
  onSaved?: (account: AccountProfile) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const valueText = useValueText();
  const factorLabel = useFactorLabel();
  const [base, setBase] = useState<{ draft: AccountDraft; version: number } | null>(null);
  const [draft, setDraft] = useState<AccountDraft>(emptyDraft);
  const [conflict, setConflict] = useState<{ changes: FieldChangeView[]; current: AccountProfile } | null>(null);
  const conflictRef = useRef<HTMLDivElement>(null);
  // The save button is at the bottom of a long form: bring the explanation into view.
  useEffect(() => {
    if (conflict) conflictRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [conflict]);

  // (Re)initialise whenever the modal opens on an account.
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const key = opened ? `${account?.id ?? 'new'}:${account?.version ?? 0}` : null;
  if (key !== openedFor) {
    setOpenedFor(key);
    if (opened) {
      const initial = account ? draftOf(account) : emptyDraft;
      setBase(account ? { draft: initial, version: account.version } : null);
      setDraft(initial);
      setConflict(null);
    }
  }

  const save = useMutation({
    mutationFn: async () => {
      if (!base || !account) return createAccount({ ...normaliseDraft(draft) });
      const changes = editedFields(base.draft, draft);
      return updateAccount(account.id, { version: base.version, ...changes });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(accountKeys.overview(saved.id), (old: unknown) =>
        old && typeof old === 'object' ? { ...old, account: saved } : old,
      );
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => {
      if (base && isApiError(error) && error.status === 409) {
        const details = error.details as Partial<StaleEditDetails> | undefined;
        const current = details?.current as AccountProfile | undefined;
        if (current) setConflict({ changes: changedSince(base.draft, current), current });
      }
    },
  });

  const reload = () => {
    if (!conflict) return;
    const fresh = draftOf(conflict.current);
    setBase({ draft: fresh, version: conflict.current.version });
    setDraft(fresh);
    setConflict(null);
    save.reset();
  };
  const keepMine = () => {
    if (!conflict || !base) return;
    const fresh = draftOf(conflict.current);
    setDraft(rebaseDraft(base.draft, draft, fresh));
    setBase({ draft: fresh, version: conflict.current.version });
    setConflict(null);
    save.reset();
  };

  const factors = draft.needs.choiceFactors;
  const setFactors = (choiceFactors: ChoiceFactor[]) =>
    setDraft({ ...draft, needs: { ...draft.needs, choiceFactors } });
  const valid = draft.code.trim() !== '' && draft.nameEn.trim() !== '';
  const nothingChanged = base !== null && Object.keys(editedFields(base.draft, draft)).length === 0;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="xl"
      title={account ? t('accountForm.editTitle', { code: account.code }) : t('accountForm.newTitle')}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid && !conflict) save.mutate();
        }}
      >
        <Stack gap="sm">
          {conflict ? (
            <Alert
              ref={conflictRef}
              style={{ scrollMarginTop: 72 }}
              color="orange"
              title={t('accountForm.conflictTitle')}
              data-testid="edit-conflict"
            >
              <Text size="sm">{t('accountForm.conflictBody', { version: conflict.current.version })}</Text>
              {conflict.changes.length > 0 ? (
                <List size="sm" mt="xs">
                  {conflict.changes.map((change) => (
                    <List.Item key={change.field}>
                      {t('accountForm.changed', {
                        field: t(`accountForm.fields.${change.field}`),
                        before: valueText(change.field, change.before),
                        after: valueText(change.field, change.after),
                      })}
                    </List.Item>
                  ))}
                </List>
              ) : null}
              <Group mt="sm">
                <Button size="xs" onClick={reload} data-testid="edit-reload">
                  {t('accountForm.reload')}
                </Button>
                <Button size="xs" variant="default" onClick={keepMine}>
                  {t('accountForm.keepMine')}
                </Button>
              </Group>
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('accountForm.fields.code')}
              value={draft.code}
              onChange={(event) => setDraft({ ...draft, code: event.currentTarget.value })}
              required
              data-testid="account-form-code"
            />
            <Select
              label={t('accountForm.fields.status')}
              data={statuses.map((value) => ({ value, label: t(`accountStatus.${value}`) }))}
              value={draft.status}
              onChange={(value) => setDraft({ ...draft, status: statuses.find((item) => item === value) ?? 'active' })}
              allowDeselect={false}
              data-testid="account-form-status"
            />
            <TextInput
              label={t('accountForm.fields.nameEn')}
              value={draft.nameEn}
              onChange={(event) => setDraft({ ...draft, nameEn: event.currentTarget.value })}
              required
              data-testid="account-form-name"
            />
            <TextInput
              label={t('accountForm.fields.nameZh')}
              value={draft.nameZh ?? ''}
              onChange={(event) => setDraft({ ...draft, nameZh: event.currentTarget.value })}
              lang="zh-Hant-HK"
            />
            <Select
              label={t('accountForm.fields.industry')}
              data={industries.map((value) => ({ value, label: t(`industry.${value}`) }))}
              value={draft.industry}
              onChange={(value) =>
                setDraft({ ...draft, industry: industries.find((item) => item === value) ?? 'freight' })
              }
              allowDeselect={false}
            />
            <Select
              label={t('accountForm.fields.kind')}
              data={kinds.map((value) => ({ value, label: t(`kind.${value}`) }))}
              value={draft.kind}
              onChange={(value) => setDraft({ ...draft, kind: kinds.find((item) => item === value) ?? 'company' })}
              allowDeselect={false}
            />
            <TextInput
              label={t('accountForm.fields.source')}
              placeholder={t('accountForm.sourcePlaceholder')}
              value={draft.source ?? ''}
              onChange={(event) => setDraft({ ...draft, source: event.currentTarget.value })}
            />
            <TagsInput
              label={t('accountForm.fields.tags')}
              placeholder={t('accountForm.tagsPlaceholder')}
              value={draft.tags}
              onChange={(tags) => setDraft({ ...draft, tags })}
              clearable
            />
          </SimpleGrid>
          <Title order={5} mt="xs">
            {t('c360.needs.title')}
          </Title>
          <TagsInput
            label={t('c360.needs.servicesUsed')}
            description={t('accountForm.servicesHint')}
            value={draft.needs.servicesUsed}
            onChange={(servicesUsed) => setDraft({ ...draft, needs: { ...draft.needs, servicesUsed } })}
            clearable
          />
          <Textarea
            label={t('c360.needs.requirements')}
            autosize
            minRows={2}
            value={draft.needs.requirements ?? ''}
            onChange={(event) =>
              setDraft({ ...draft, needs: { ...draft.needs, requirements: event.currentTarget.value } })
            }
          />
          <Text size="sm" fw={500}>
            {t('c360.needs.factors')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('accountForm.factorsHint')}
          </Text>
          {factors.map((factor, index) => (
            <Group key={index} gap="xs" align="flex-end" wrap="nowrap">
              <Select
                label={index === 0 ? t('accountForm.factor') : undefined}
                data={[...new Set([...knownFactors, factor.factor].filter(Boolean))].map((value) => ({
                  value,
                  label: factorLabel(value),
                }))}
                value={factor.factor || null}
                onChange={(value) =>
                  setFactors(factors.map((item, i) => (i === index ? { ...item, factor: value ?? '' } : item)))
                }
                searchable
                style={{ flex: 2 }}
              />
              <NumberInput
                label={index === 0 ? t('c360.needs.importance') : undefined}
                min={1}
                max={5}
                clampBehavior="strict"
                value={factor.importance}
                onChange={(value) =>
                  setFactors(
                    factors.map((item, i) => (i === index ? { ...item, importance: Number(value) || 1 } : item)),
                  )
                }
                style={{ flex: 1 }}
              />
              <NumberInput
                label={index === 0 ? t('c360.needs.performance') : undefined}
                min={1}
                max={5}
                clampBehavior="strict"
                value={factor.performance}
                onChange={(value) =>
                  setFactors(
                    factors.map((item, i) => (i === index ? { ...item, performance: Number(value) || 1 } : item)),
                  )
                }
                style={{ flex: 1 }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t('accountForm.removeFactor')}
                onClick={() => setFactors(factors.filter((_, i) => i !== index))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              size="xs"
              variant="light"
              onClick={() =>
                setFactors([
                  ...factors,
                  {
                    factor: knownFactors.find((name) => !factors.some((item) => item.factor === name)) ?? '',
                    importance: 3,
                    performance: 3,
                  },
                ])
              }
              disabled={factors.length >= 20}
            >
              {t('accountForm.addFactor')}
            </Button>
          </Group>
          {save.isError && !conflict ? <ErrorAlert title={t('accountForm.error')} error={save.error} /> : null}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('c360.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!valid || conflict !== null || nothingChanged}
              data-testid="account-form-save"
            >
              {account ? t('accountForm.save') : t('accountForm.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
