import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken, CreatedToken } from '../../../features/auth/auth.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatDateTime } from '../analytics/analytics.format.js';
import { can, createToken, revokeToken, tokenKeys, tokensQuery } from './auth.queries.js';
import { useMe } from './session.js';

/**
 * My API tokens on the profile page: the list (never the secrets), a new one — its secret shown this once, with a
 * copy button — and revoking one. A role that sees every token (auditors) still sees only its own here.
 */
export function TokensPanel() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const tokens = useQuery(tokensQuery());
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(30);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useMutation({
    mutationFn: () => createToken({ name: name.trim(), expiresInDays: Number(days) || 30 }),
    onSuccess: async (token) => {
      setCreated(token);
      setName('');
      await queryClient.invalidateQueries({ queryKey: tokenKeys.mine });
    },
  });
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => revokeToken(token.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.mine }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const mine = (tokens.data?.items ?? []).filter((token) => token.userId === me.user.id);
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : t('tokens.never'));

  return (
    <Paper withBorder p="md" data-testid="tokens-panel">
      <Stack gap="sm">
        <Title order={4}>{t('tokens.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('tokens.intro')}
        </Text>
        {tokens.isError ? <ErrorAlert title={t('tokens.loadError')} error={tokens.error} /> : null}
        {tokens.data && mine.length === 0 ? <Text c="dimmed">{t('tokens.none')}</Text> : null}
        {mine.length > 0 ? (
          <Table.ScrollContainer minWidth={520}>
            <Table striped data-testid="tokens-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tokens.columns.name')}</Table.Th>
                  <Table.Th>{t('tokens.columns.prefix')}</Table.Th>
                  <Table.Th>{t('tokens.columns.expires')}</Table.Th>
                  <Table.Th>{t('tokens.columns.lastUsed')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mine.map((token) => (
                  <Table.Tr key={token.id} data-testid="token-row">
                    <Table.Td>{token.name}</Table.Td>
                    <Table.Td>
                      <Code>{token.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>{when(token.expiresAt)}</Table.Td>
                    <Table.Td>{when(token.lastUsedAt)}</Table.Td>
                    <Table.Td>
                      {token.revokedAt ? (
                        <Badge color="gray" variant="light" data-testid="token-revoked">
                          {t('tokens.revoked')}
                        </Badge>
                      ) : can(me, 'tokens', 'delete') ? (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          loading={revoke.isPending && revoke.variables.id === token.id}
                          onClick={() => revoke.mutate(token)}
                          data-testid="token-revoke"
                        >
                          {t('tokens.revoke')}
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
        {revoke.isError ? <ErrorAlert title={t('tokens.revokeError')} error={revoke.error} /> : null}
        {created ? (
          <Alert color="teal" variant="light" title={t('tokens.createdTitle')} data-testid="token-created">
            <Stack gap="xs">
              <Text size="sm">{t('tokens.createdBody')}</Text>
              <Group gap="xs" wrap="nowrap">
                <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="token-secret">
                  {created.token}
                </Code>
                <CopyButton value={created.token}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant={copied ? 'filled' : 'light'} onClick={copy} data-testid="token-copy">
                      {copied ? t('tokens.copied') : t('tokens.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Group>
                <Button size="xs" variant="subtle" onClick={() => setCreated(null)} data-testid="token-dismiss">
                  {t('tokens.dismiss')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : null}
        {can(me, 'tokens', 'create') ? (
          <form onSubmit={submit}>
            <Group align="flex-end" gap="sm">
              <TextInput
                label={t('tokens.name')}
                placeholder={t('tokens.namePlaceholder')}
                required
                maxLength={100}
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
                data-testid="token-name"
              />
              <NumberInput
                label={t('tokens.expiresInDays')}
                min={1}
                max={366}
                allowDecimal={false}
                value={days}
                onChange={setDays}
                w={140}
                data-testid="token-days"
              />
              <Button type="submit" loading={create.isPending} data-testid="token-create">
                {t('tokens.create')}
              </Button>
            </Group>
          </form>
        ) : null}
        {create.isError ? <ErrorAlert title={t('tokens.createError')} error={create.error} /> : null}
      </Stack>
    </Paper>
  );
}
