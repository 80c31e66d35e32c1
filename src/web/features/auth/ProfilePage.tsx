import {
  Alert,
  Button,
  Group,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api.js';
import { setLanguage } from '../../i18n/index.js';
import { isLanguage, languages } from '../../i18n/languages.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { authKeys, can, changePassword, updateProfile } from './auth.queries.js';
import { useMe } from './session.js';
import { TokensPanel } from './TokensPanel.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** My profile: name, language (remembered on the server, applied at sign-in), password and API tokens. */
export function ProfilePage() {
  const { t } = useTranslation();
  usePageTitle(t('profile.title'));
  const me = useMe();
  const queryClient = useQueryClient();
  const [displayName, setDisplayName] = useState(me.user.displayName);
  const [saved, setSaved] = useState(false);
  const [profileError, setProfileError] = useState<string | null>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [passwordState, setPasswordState] = useState<{ ok: boolean; text: string } | null>(null);

  const saveProfile = async (changes: Parameters<typeof updateProfile>[0]) => {
    setProfileError(null);
    setSaved(false);
    try {
      await updateProfile(changes);
      await queryClient.invalidateQueries({ queryKey: authKeys.me });
      setSaved(true);
    } catch (error) {
      setProfileError(messageOf(error));
    }
  };

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== confirm) {
      setPasswordState({ ok: false, text: t('profile.passwordMismatch') });
      return;
    }
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setPasswordState({ ok: true, text: t('profile.passwordChanged') });
    } catch (error) {
      const text =
        isApiError(error) && error.code === 'forbidden'
          ? t('profile.currentWrong')
          : isApiError(error) && error.code === 'validation_failed'
            ? t('profile.passwordRules')
            : messageOf(error);
      setPasswordState({ ok: false, text });
    }
  };

  return (
    <Stack gap="lg" maw={640}>
      <Title order={2}>{t('profile.title')}</Title>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('profile.signedInAs', { email: me.user.email })}
          </Text>
          <Text size="sm" data-testid="profile-role">
            {t('profile.roleLine', {
              role: t(`roles.${me.role}`),
              team: me.user.team ?? t('profile.noTeam'),
            })}
          </Text>
          <Group align="flex-end">
            <TextInput
              label={t('profile.displayName')}
              value={displayName}
              onChange={(event) => setDisplayName(event.currentTarget.value)}
              data-testid="profile-name"
              style={{ flex: 1 }}
            />
            <Button
              onClick={() => void saveProfile({ displayName: displayName.trim() })}
              disabled={!displayName.trim()}
            >
              {t('profile.save')}
            </Button>
          </Group>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('language.label')}
            </Text>
            <SegmentedControl
              value={me.user.language}
              data-testid="profile-language"
              onChange={(value) => {
                if (!isLanguage(value)) return;
                void setLanguage(value);
                void saveProfile({ language: value });
              }}
              data={languages.map((language) => ({ value: language, label: t(`language.${language}`) }))}
            />
          </div>
          {saved ? (
            <Text size="sm" c="teal" data-testid="profile-saved">
              {t('profile.saved')}
            </Text>
          ) : null}
          {profileError ? (
            <Alert color="red" variant="light" role="alert">
              {profileError}
            </Alert>
          ) : null}
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <form onSubmit={(event) => void submitPassword(event)}>
          <Stack gap="sm">
            <Title order={4}>{t('profile.changePassword')}</Title>
            <PasswordInput
              label={t('profile.currentPassword')}
              autoComplete="current-password"
              required
              value={current}
              onChange={(event) => setCurrent(event.currentTarget.value)}
              data-testid="password-current"
            />
            <PasswordInput
              label={t('profile.newPassword')}
              description={t('profile.passwordRules')}
              autoComplete="new-password"
              required
              minLength={10}
              value={next}
              onChange={(event) => setNext(event.currentTarget.value)}
              data-testid="password-new"
            />
            <PasswordInput
              label={t('profile.confirmPassword')}
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(event) => setConfirm(event.currentTarget.value)}
              data-testid="password-confirm"
            />
            {passwordState ? (
              <Alert color={passwordState.ok ? 'teal' : 'red'} variant="light" data-testid="password-result">
                {passwordState.text}
              </Alert>
            ) : null}
            <Group>
              <Button type="submit" data-testid="password-submit">
                {t('profile.changePassword')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {can(me, 'tokens', 'read') ? <TokensPanel /> : null}
    </Stack>
  );
}
