import {
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../features/accounts/customer.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import {
  fromHongKongLocal,
  hongKongParts,
  interactionChannels,
  interactionPrefill,
  type InteractionDraft,
} from './customer360.js';
import { accountKeys, addActivity, logInteraction } from './customers.queries.js';

const lastChannelKey = 'rapport.lastInteractionChannel';

function readLastChannel(): string | null {
  try {
    return window.localStorage.getItem(lastChannelKey);
  } catch {
    return null;
  }
}

function rememberChannel(channel: string): void {
  try {
    window.localStorage.setItem(lastChannelKey, channel);
  } catch {
    // not remembered: the next form starts with phone
  }
}

const contactLabel = (contact: Contact): string => contact.name ?? contact.email ?? contact.phone ?? `#${contact.id}`;

/**
 * "Log interaction": the first click opens a small form already filled in (now, Hong Kong time; the channel last
 * used, else phone; outbound), the second saves it. Everything else is optional.
 */
export function LogInteractionButton({
  accountId,
  contacts,
  variant = 'filled',
}: {
  accountId: number;
  contacts: readonly Contact[];
  variant?: 'filled' | 'light';
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<InteractionDraft | null>(null);
  const save = useMutation({
    mutationFn: (value: InteractionDraft) =>
      logInteraction(accountId, {
        channel: value.channel,
        direction: value.direction,
        occurredAt: fromHongKongLocal(value.occurredAt) ?? new Date().toISOString(),
        subject: value.subject.trim() || null,
        notes: value.notes.trim() || null,
        contactIds: value.contactIds,
      }),
    onSuccess: (_created, value) => {
      rememberChannel(value.channel);
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: accountKeys.timeline(accountId) });
    },
  });
  const open = () => {
    save.reset();
    setDraft(interactionPrefill(new Date(), readLastChannel()));
  };
  const validTime = draft ? fromHongKongLocal(draft.occurredAt) !== null : false;

  return (
    <>
      <Button variant={variant} onClick={open} data-testid="log-interaction">
        {t('interactionForm.open')}
      </Button>
      <Modal
        opened={draft !== null}
        onClose={() => setDraft(null)}
        title={t('interactionForm.title')}
        size="lg"
        data-testid="interaction-modal"
      >
        {draft ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (validTime) save.mutate(draft);
            }}
          >
            <Stack gap="sm">
              <SegmentedControl
                fullWidth
                data={interactionChannels.map((value) => ({ value, label: t(`c360.channels.${value}`) }))}
                value={draft.channel}
                onChange={(value) =>
                  setDraft({
                    ...draft,
                    channel: interactionChannels.find((item) => item === value) ?? 'phone',
                  })
                }
                data-testid="interaction-channel"
              />
              <Group grow align="flex-start">
                <TextInput
                  type="datetime-local"
                  label={t('interactionForm.when')}
                  description={t('interactionForm.whenHint')}
                  value={draft.occurredAt}
                  onChange={(event) => setDraft({ ...draft, occurredAt: event.currentTarget.value })}
                  error={validTime ? undefined : t('interactionForm.badTime')}
                  data-testid="interaction-when"
                />
                <Select
                  label={t('interactionForm.direction')}
                  data={[
                    { value: 'outbound', label: t('c360.direction.outbound') },
                    { value: 'inbound', label: t('c360.direction.inbound') },
                  ]}
                  value={draft.direction}
                  onChange={(value) => setDraft({ ...draft, direction: value === 'inbound' ? 'inbound' : 'outbound' })}
                  allowDeselect={false}
                />
              </Group>
              <TextInput
                label={t('interactionForm.subject')}
                placeholder={t('interactionForm.subjectPlaceholder')}
                value={draft.subject}
                onChange={(event) => setDraft({ ...draft, subject: event.currentTarget.value })}
                data-autofocus
                data-testid="interaction-subject"
              />
              <Textarea
                label={t('interactionForm.notes')}
                autosize
                minRows={2}
                maxRows={8}
                value={draft.notes}
                onChange={(event) => setDraft({ ...draft, notes: event.currentTarget.value })}
                data-testid="interaction-notes"
              />
              {contacts.length > 0 ? (
                <MultiSelect
                  label={t('interactionForm.contacts')}
                  data={contacts.map((contact) => ({ value: String(contact.id), label: contactLabel(contact) }))}
                  value={draft.contactIds.map(String)}
                  onChange={(values) => setDraft({ ...draft, contactIds: values.map(Number) })}
                  clearable
                />
              ) : null}
              {save.isError ? <ErrorAlert title={t('interactionForm.error')} error={save.error} /> : null}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setDraft(null)}>
                  {t('c360.cancel')}
                </Button>
                <Button type="submit" loading={save.isPending} disabled={!validTime} data-testid="interaction-save">
                  {t('interactionForm.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Modal>
    </>
  );
}

const activityKinds = ['gift', 'souvenir', 'event'] as const;

/** Records a gift, souvenir or social event with its value and date. */
export function AddActivityButton({ accountId }: { accountId: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const empty = {
    kind: 'gift' as (typeof activityKinds)[number],
    description: '',
    value: '' as string | number,
    occurredOn: '',
  };
  const [draft, setDraft] = useState<typeof empty | null>(null);
  const save = useMutation({
    mutationFn: (value: typeof empty) =>
      addActivity(accountId, {
        kind: value.kind,
        description: value.description.trim(),
        value: value.value === '' ? null : Number(value.value).toFixed(2),
        currency: 'HKD',
        occurredOn: value.occurredOn,
      }),
    onSuccess: () => {
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: accountKeys.timeline(accountId) });
    },
  });
  return (
    <>
      <Button
        variant="default"
        onClick={() => {
          save.reset();
          setDraft({ ...empty, occurredOn: hongKongParts(new Date()).slice(0, 10) });
        }}
        data-testid="add-activity"
      >
        {t('activityForm.open')}
      </Button>
      <Modal opened={draft !== null} onClose={() => setDraft(null)} title={t('activityForm.title')}>
        {draft ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (draft.description.trim()) save.mutate(draft);
            }}
          >
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t('activityForm.intro')}
              </Text>
              <SegmentedControl
                data={activityKinds.map((value) => ({ value, label: t(`c360.activityKinds.${value}`) }))}
                value={draft.kind}
                onChange={(value) =>
                  setDraft({ ...draft, kind: activityKinds.find((item) => item === value) ?? 'gift' })
                }
              />
              <TextInput
                label={t('activityForm.description')}
                placeholder={t('activityForm.descriptionPlaceholder')}
                value={draft.description}
                onChange={(event) => setDraft({ ...draft, description: event.currentTarget.value })}
                required
                data-autofocus
              />
              <Group grow>
                <NumberInput
                  label={t('activityForm.value')}
                  min={0}
                  decimalScale={2}
                  thousandSeparator=","
                  value={draft.value}
                  onChange={(value) => setDraft({ ...draft, value })}
                />
                <TextInput
                  type="date"
                  label={t('activityForm.date')}
                  value={draft.occurredOn}
                  onChange={(event) => setDraft({ ...draft, occurredOn: event.currentTarget.value })}
                  required
                />
              </Group>
              {save.isError ? <ErrorAlert title={t('activityForm.error')} error={save.error} /> : null}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setDraft(null)}>
                  {t('c360.cancel')}
                </Button>
                <Button type="submit" loading={save.isPending} disabled={!draft.description.trim()}>
                  {t('activityForm.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Modal>
    </>
  );
}
