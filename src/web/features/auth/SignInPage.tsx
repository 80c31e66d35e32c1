import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api.js';
import { setLanguage } from '../../i18n/index.js';
import { LanguageSwitch } from '../../ui/LanguageSwitch.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { safeNext, signIn } from './auth.queries.js';

/** E-mail and password; the API answers every failure with one generic message (no hint which part was wrong). */
export function SignInPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('auth.signInTitle'));
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await signIn(queryClient, email.trim(), password);
      if (me.user.language !== i18n.resolvedLanguage) await setLanguage(me.user.language);
      void navigate(safeNext(params.get('next')), { replace: true });
    } catch (caught) {
      setError(
        isApiError(caught) && caught.status === 401
          ? t('auth.failed')
          : isApiError(caught) && caught.status === 429
            ? t('auth.tooMany')
            : caught instanceof Error
              ? caught.message
              : String(caught),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form onSubmit={(event) => void submit(event)} data-testid="sign-in-form">
          <Stack gap="md">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Title order={2}>{t('app.name')}</Title>
                <Text size="sm" c="dimmed">
                  {t('app.tagline')}
                </Text>
              </div>
              <LanguageSwitch />
            </Group>
            <Title order={3} fw={500}>
              {t('auth.signInTitle')}
            </Title>
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              data-testid="sign-in-email"
            />
            <PasswordInput
              label={t('auth.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              data-testid="sign-in-password"
            />
            {error ? (
              <Alert color="red" variant="light" role="alert" data-testid="sign-in-error">
                {error}
              </Alert>
            ) : null}
            <Button type="submit" loading={busy} fullWidth data-testid="sign-in-submit">
              {t('auth.signIn')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
