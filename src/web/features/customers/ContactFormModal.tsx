import { Alert, Button, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../features/accounts/customer.schema.js';
import { isApiError } from '../../api.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { accountKeys, createContact, setContactArchived, updateContact } from './customers.queries.js';

const languages = [
  { value: 'en', key: 'en' },
  { value: 'zh-Hant', key: 'zhHant' },
  { value: 'zh-Hans', key: 'zhHans' },
] as const;
const channels = ['email', 'phone', 'whatsapp', 'wechat', 'sms', 'visit', 'mail'] as const;

interface ContactDraft {
  name: string;
  title: string;
  email: string;
  phone: string;
  language: string | null;
  channels: string[];
}

const draftOf = (contact: Contact | null): ContactDraft => ({
  name: contact?.name ?? '',
  title: contact?.title ?? '',
  email: contact?.email ?? '',
  phone: contact?.phone ?? '',
  language: contact?.language ?? null,
  channels: contact ? [...contact.channels] : [],
});

const text = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/**
 * Add or edit a contact: the API keeps e-mails lower-case and phones as E.164 (Hong Kong numbers without +852 are
 * fine). An edit carries the version it was opened on; a 409 says someone else saved first. Fields the role may
 * not see are neither shown nor sent.
 */
export function ContactFormModal({
  accountId,
  contact,
  opened,
  onClose,
}: {
  accountId: number;
  /** null: a new contact. */
  contact: Contact | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ContactDraft>(() => draftOf(contact));
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const key = opened ? `${contact?.id ?? 'new'}:${contact?.version ?? 0}` : null;
  if (key !== openedFor) {
    setOpenedFor(key);
    if (opened) setDraft(draftOf(contact));
  }
  const hidden = new Set(contact?.masked ?? []);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: accountKeys.overview(accountId) });
    onClose();
  };
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: text(draft.name),
        title: text(draft.title),
        ...(hidden.has('email') ? {} : { email: text(draft.email) }),
        ...(hidden.has('phone') ? {} : { phone: text(draft.phone) }),
        language: languages.find((item) => item.value === draft.language)?.value ?? null,
        channels: channels.filter((item) => draft.channels.includes(item)),
      };
      return contact
        ? updateContact(contact.id, { version: contact.version, ...fields })
        : createContact(accountId, fields);
    },
    onSuccess: done,
  });
  const archive = useMutation({
    mutationFn: () => (contact ? setContactArchived(contact.id, contact.version, true) : Promise.resolve(null)),
    onSuccess: done,
  });
  const identified = [draft.name, draft.email, draft.phone].some((value) => value.trim() !== '');
  const stale = isApiError(save.error) && save.error.status === 409;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={contact ? t('contactForm.editTitle') : t('contactForm.newTitle')}
      size="lg"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (identified) save.mutate();
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('c360.contacts.name')}
              value={draft.name}
              onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
              data-autofocus
              data-testid="contact-form-name"
            />
            <TextInput
              label={t('contactForm.title')}
              value={draft.title}
              onChange={(event) => setDraft({ ...draft, title: event.currentTarget.value })}
            />
            {hidden.has('email') ? null : (
              <TextInput
                type="email"
                label={t('c360.contacts.email')}
                value={draft.email}
                onChange={(event) => setDraft({ ...draft, email: event.currentTarget.value })}
                data-testid="contact-form-email"
              />
            )}
            {hidden.has('phone') ? null : (
              <TextInput
                type="tel"
                label={t('c360.contacts.phone')}
                description={t('contactForm.phoneHint')}
                value={draft.phone}
                onChange={(event) => setDraft({ ...draft, phone: event.currentTarget.value })}
                data-testid="contact-form-phone"
              />
            )}
            <Select
              label={t('c360.contacts.language')}
              data={languages.map((item) => ({ value: item.value, label: t(`c360.languages.${item.key}`) }))}
              value={draft.language}
              onChange={(value) => setDraft({ ...draft, language: value })}
              clearable
            />
            <MultiSelect
              label={t('c360.contacts.channels')}
              data={channels.map((value) => ({ value, label: t(`c360.contactChannels.${value}`) }))}
              value={draft.channels}
              onChange={(value) => setDraft({ ...draft, channels: value })}
              clearable
            />
          </SimpleGrid>
          {!identified ? (
            <Alert color="gray" variant="light">
              {t('contactForm.identify')}
            </Alert>
          ) : null}
          {stale ? (
            <Alert color="orange" title={t('contactForm.staleTitle')}>
              {t('contactForm.staleBody')}
            </Alert>
          ) : save.isError ? (
            <ErrorAlert title={t('contactForm.error')} error={save.error} />
          ) : null}
          {archive.isError ? <ErrorAlert title={t('contactForm.error')} error={archive.error} /> : null}
          <Group justify="space-between">
            {contact ? (
              <Button variant="subtle" color="red" onClick={() => archive.mutate()} loading={archive.isPending}>
                {t('contactForm.archive')}
              </Button>
            ) : (
              <span />
            )}
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                {t('c360.cancel')}
              </Button>
              <Button
                type="submit"
                disabled={!identified || stale}
                loading={save.isPending}
                data-testid="contact-form-save"
              >
                {t('contactForm.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
