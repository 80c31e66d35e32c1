import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type Role, type User } from '../../../features/auth/auth.schema.js';
import type { AuditPage } from '../../../features/audit/audit.schema.js';
import { apiGet, toQueryString } from '../../api.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import {
  authKeys,
  can,
  createTeam,
  createUser,
  deactivateUser,
  reactivateUser,
  teamsQuery,
  updateUser,
  usersQuery,
} from './auth.queries.js';
import { useMe } from './session.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Administration: users and teams (admins change them; managers see their team), and the audit log for auditors. */
export function AdminPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.admin'));
  const me = useMe();
  const tabs = [
    can(me, 'users', 'read') ? 'users' : null,
    can(me, 'teams', 'read') ? 'teams' : null,
    can(me, 'audit', 'read') ? 'audit' : null,
  ].filter((tab): tab is 'users' | 'teams' | 'audit' => tab !== null);
  return (
    <Stack gap="md">
      <Title order={2}>{t('nav.admin')}</Title>
      {tabs.length === 0 ? (
        <Alert color="gray" variant="light">
          {t('admin.noAccess')}
        </Alert>
      ) : (
        <Tabs defaultValue={tabs[0]} keepMounted={false}>
          <Tabs.List>
            {tabs.map((tab) => (
              <Tabs.Tab key={tab} value={tab} data-testid={`admin-tab-${tab}`}>
                {t(`admin.tabs.${tab}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="users" pt="md">
            <UsersPanel />
          </Tabs.Panel>
          <Tabs.Panel value="teams" pt="md">
            <TeamsPanel />
          </Tabs.Panel>
          <Tabs.Panel value="audit" pt="md">
            <AuditPanel />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

function UsersPanel() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const users = useQuery(usersQuery());
  const teams = useQuery(teamsQuery());
  const [error, setError] = useState<string | null>(null);
  const mayUpdate = can(me, 'users', 'update');
  const roleOptions = roles.map((role) => ({ value: role, label: t(`roles.${role}`) }));
  const teamOptions = (teams.data?.items ?? []).map((team) => ({ value: team.name, label: team.name }));

  const run = async (change: () => Promise<unknown>) => {
    setError(null);
    try {
      await change();
    } catch (caught) {
      setError(messageOf(caught));
    }
    await queryClient.invalidateQueries({ queryKey: authKeys.users });
    await queryClient.invalidateQueries({ queryKey: authKeys.teams });
  };

  if (users.isError) return <ErrorAlert title={t('admin.loadError')} error={users.error} />;
  if (!users.data) return <Loader size="sm" />;
  const row = (user: User) => {
    const self = user.id === me.user.id;
    return (
      <Table.Tr key={user.id} data-testid="user-row">
        <Table.Td>{user.email}</Table.Td>
        <Table.Td>{user.displayName}</Table.Td>
        <Table.Td>
          {mayUpdate && !self ? (
            <Select
              size="xs"
              aria-label={t('admin.role')}
              data={roleOptions}
              value={user.role}
              allowDeselect={false}
              onChange={(value) => value && void run(() => updateUser(user.id, { role: value }))}
            />
          ) : (
            t(`roles.${user.role}`)
          )}
        </Table.Td>
        <Table.Td>
          {mayUpdate ? (
            <Select
              size="xs"
              aria-label={t('admin.team')}
              data={teamOptions}
              value={user.team}
              clearable
              placeholder={t('profile.noTeam')}
              onChange={(value) => void run(() => updateUser(user.id, { team: value }))}
            />
          ) : (
            (user.team ?? '—')
          )}
        </Table.Td>
        <Table.Td>
          <Badge color={user.active ? 'teal' : 'gray'} variant="light">
            {user.active ? t('admin.active') : t('admin.inactive')}
          </Badge>
        </Table.Td>
        <Table.Td>
          {mayUpdate && !self ? (
            user.active ? (
              <Button size="xs" variant="default" color="red" onClick={() => void run(() => deactivateUser(user.id))}>
                {t('admin.deactivate')}
              </Button>
            ) : (
              <Button size="xs" variant="default" onClick={() => void run(() => reactivateUser(user.id))}>
                {t('admin.reactivate')}
              </Button>
            )
          ) : null}
        </Table.Td>
      </Table.Tr>
    );
  };
  return (
    <Stack gap="md">
      {error ? (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={720}>
        <Table striped data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('auth.email')}</Table.Th>
              <Table.Th>{t('profile.displayName')}</Table.Th>
              <Table.Th>{t('admin.role')}</Table.Th>
              <Table.Th>{t('admin.team')}</Table.Th>
              <Table.Th>{t('admin.state')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{users.data.items.map(row)}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {can(me, 'users', 'create') ? (
        <NewUserForm teamOptions={teamOptions} onCreated={() => void run(async () => undefined)} />
      ) : null}
    </Stack>
  );
}

function NewUserForm({
  teamOptions,
  onCreated,
}: {
  teamOptions: { value: string; label: string }[];
  onCreated: () => void;
}) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [team, setTeam] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await createUser({ email, displayName, role, team, password });
      setEmail('');
      setDisplayName('');
      setPassword('');
      onCreated();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={(event) => void submit(event)} data-testid="new-user-form">
        <Stack gap="sm">
          <Title order={4}>{t('admin.addUser')}</Title>
          <Group grow align="flex-start">
            <TextInput
              label={t('auth.email')}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <TextInput
              label={t('profile.displayName')}
              required
              value={displayName}
              onChange={(e) => setDisplayName(e.currentTarget.value)}
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label={t('admin.role')}
              data={roles.map((value) => ({ value, label: t(`roles.${value}`) }))}
              value={role}
              allowDeselect={false}
              onChange={(value) => value && setRole(value)}
            />
            <Select label={t('admin.team')} data={teamOptions} value={team} clearable onChange={setTeam} />
            <PasswordInput
              label={t('admin.initialPassword')}
              description={t('profile.passwordRules')}
              required
              minLength={10}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
          </Group>
          {error ? (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          ) : null}
          <Group>
            <Button type="submit">{t('admin.addUser')}</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function TeamsPanel() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const teams = useQuery(teamsQuery());
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (teams.isError) return <ErrorAlert title={t('admin.loadError')} error={teams.error} />;
  if (!teams.data) return <Loader size="sm" />;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await createTeam(name.trim());
      setName('');
      await queryClient.invalidateQueries({ queryKey: authKeys.teams });
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  return (
    <Stack gap="md" maw={560}>
      <Table striped data-testid="teams-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.team')}</Table.Th>
            <Table.Th>{t('admin.members')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {teams.data.items.map((team) => (
            <Table.Tr key={team.name}>
              <Table.Td>{team.name}</Table.Td>
              <Table.Td>{team.members}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {can(me, 'teams', 'create') ? (
        <form onSubmit={(event) => void submit(event)}>
          <Group align="flex-end">
            <TextInput
              label={t('admin.newTeam')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit">{t('admin.addTeam')}</Button>
          </Group>
          {error ? (
            <Alert mt="sm" color="red" variant="light" role="alert">
              {error}
            </Alert>
          ) : null}
        </form>
      ) : null}
    </Stack>
  );
}

type AuditFilters = {
  action: string;
  resource: string;
  recordId: string;
  from: string;
  to: string;
};

function AuditPanel() {
  const { t } = useTranslation();
  const me = useMe();
  const [filters, setFilters] = useState<AuditFilters>({ action: '', resource: '', recordId: '', from: '', to: '' });
  const params = { ...filters, limit: 100 };
  const page = useQuery({
    queryKey: ['audit', params],
    queryFn: ({ signal }) => apiGet<AuditPage>('/api/audit', params, { signal }),
  });
  const set = (key: keyof AuditFilters) => (value: string) => setFilters((current) => ({ ...current, [key]: value }));
  return (
    <Stack gap="md">
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t('admin.audit.action')}
          value={filters.action}
          onChange={(e) => set('action')(e.currentTarget.value.trim())}
        />
        <TextInput
          label={t('admin.audit.resource')}
          value={filters.resource}
          onChange={(e) => set('resource')(e.currentTarget.value.trim())}
        />
        <TextInput
          label={t('admin.audit.record')}
          value={filters.recordId}
          onChange={(e) => set('recordId')(e.currentTarget.value.trim())}
        />
        <TextInput
          label={t('admin.audit.from')}
          placeholder="2026-11-01"
          value={filters.from}
          onChange={(e) => set('from')(e.currentTarget.value.trim())}
        />
        <TextInput
          label={t('admin.audit.to')}
          placeholder="2026-12-01"
          value={filters.to}
          onChange={(e) => set('to')(e.currentTarget.value.trim())}
        />
        {can(me, 'audit', 'export') ? (
          <Anchor href={`/api/audit/export${toQueryString(filters)}`} data-testid="audit-export">
            {t('admin.audit.export')}
          </Anchor>
        ) : null}
      </Group>
      {page.isError ? <ErrorAlert title={t('admin.loadError')} error={page.error} /> : null}
      {page.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.audit.when')}</Table.Th>
                <Table.Th>{t('admin.audit.who')}</Table.Th>
                <Table.Th>{t('admin.audit.action')}</Table.Th>
                <Table.Th>{t('admin.audit.resource')}</Table.Th>
                <Table.Th>{t('admin.audit.record')}</Table.Th>
                <Table.Th>{t('admin.audit.where')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((entry) => (
                <Table.Tr key={entry.id} data-testid="audit-row">
                  <Table.Td>{new Date(entry.occurredAt).toLocaleString()}</Table.Td>
                  <Table.Td>
                    {entry.actorName ?? entry.via}
                    {entry.actorRole ? (
                      <Text size="xs" c="dimmed">
                        {t(`roles.${entry.actorRole}`, entry.actorRole)}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{entry.action}</Table.Td>
                  <Table.Td>{entry.resource}</Table.Td>
                  <Table.Td>
                    {entry.recordIds.slice(0, 5).join(', ')}
                    {entry.recordCount > 5 ? ` … (${entry.recordCount})` : ''}
                  </Table.Td>
                  <Table.Td>{entry.ip ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}
