import { Center, Container, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Me } from '../../../features/auth/auth.schema.js';
import { isApiError } from '../../api.js';
import { mayOpen, type AreaKey } from '../../areas.js';
import { NoAccessPage } from '../../ui/NoAccessPage.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { meQuery } from './auth.queries.js';

const MeContext = createContext<Me | null>(null);

/** The signed-in user (inside RequireAuth). */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() outside RequireAuth');
  return me;
}

/**
 * Every page but the sign-in page sits behind this: it asks the API who is signed in and sends a visitor who is
 * not (401) to the sign-in page, remembering the page asked for.
 */
export function RequireAuth() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useQuery(meQuery());
  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader size="sm" />
      </Center>
    );
  }
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      const next = `${location.pathname}${location.search}`;
      return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
    }
    return (
      <Container py="xl">
        <ErrorAlert title={t('auth.loadError')} error={me.error} onRetry={() => void me.refetch()} />
      </Container>
    );
  }
  return (
    <MeContext.Provider value={me.data}>
      <Outlet />
    </MeContext.Provider>
  );
}

/** An area's pages, or a friendly "no access" panel when the signed-in role may not read the area. */
export function RequireArea({ area, children }: { area: AreaKey; children: ReactNode }) {
  const me = useMe();
  return mayOpen(me.grants, area) ? children : <NoAccessPage area={area} role={me.role} />;
}
