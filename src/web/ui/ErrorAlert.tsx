import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api.js';

/** A failed request: a translated title, and the API's own message (or a translated one when there was no answer). */
export function ErrorAlert({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  let message: string;
  if (isApiError(error) && error.code === 'network_error') message = t('errors.network');
  else if (isApiError(error) && error.code === 'bad_response')
    message = t('errors.badResponse', { status: error.status });
  else if (error instanceof Error) message = error.message;
  else message = String(error);
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      <Group justify="space-between" align="center" wrap="nowrap">
        <Text size="sm" data-testid="error-message">
          {message}
        </Text>
        {onRetry ? (
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('customers.retry')}
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
