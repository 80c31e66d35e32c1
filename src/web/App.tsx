import { Center, createTheme, Loader, MantineProvider } from '@mantine/core';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, BrowserRouter, Routes } from 'react-router-dom';
import { isApiError } from './api.js';
import { areas, type AreaKey } from './areas.js';
import { CustomersPage } from './features/customers/CustomersPage.js';
import { AdminPage } from './features/auth/AdminPage.js';
import { authKeys } from './features/auth/auth.queries.js';
import { ProfilePage } from './features/auth/ProfilePage.js';
import { RequireArea, RequireAuth } from './features/auth/session.js';
import { SignInPage } from './features/auth/SignInPage.js';
import { AppLayout } from './ui/AppLayout.js';
import { NotBuiltPage } from './ui/NotBuiltPage.js';
import { NotFoundPage } from './ui/NotFoundPage.js';

// The analytics area carries ECharts: its own chunk, loaded when first opened.
const AnalyticsPage = lazy(() =>
  import('./features/analytics/AnalyticsPage.js').then((module) => ({ default: module.AnalyticsPage })),
);
// The customer 360 (ECharts too), the import wizard and history, and duplicates: chunks of their own.
const CustomerDetailPage = lazy(() =>
  import('./features/customers/CustomerDetailPage.js').then((module) => ({ default: module.CustomerDetailPage })),
);
const DuplicatesPage = lazy(() =>
  import('./features/customers/DuplicatesPage.js').then((module) => ({ default: module.DuplicatesPage })),
);
const ImportWizardPage = lazy(() =>
  import('./features/imports/ImportWizardPage.js').then((module) => ({ default: module.ImportWizardPage })),
);
const ImportHistoryPage = lazy(() =>
  import('./features/imports/ImportHistoryPage.js').then((module) => ({ default: module.ImportHistoryPage })),
);
const ImportResultPage = lazy(() =>
  import('./features/imports/ImportHistoryPage.js').then((module) => ({ default: module.ImportResultPage })),
);

// Strategies (guided builder, review, scenario) and My tasks (compliance chart): chunks of their own.
const StrategiesArea = lazy(() =>
  import('./features/strategies/StrategiesPage.js').then((module) => ({ default: module.StrategiesArea })),
);
const SegmentsArea = lazy(() =>
  import('./features/segments/SegmentsPage.js').then((module) => ({ default: module.SegmentsArea })),
);
const TasksPage = lazy(() => import('./features/tasks/TasksPage.js').then((module) => ({ default: module.TasksPage })));

// Key-account matrix and market metrics (ECharts): chunks of their own.
const KeyAccountsPage = lazy(() =>
  import('./features/strategies/KeyAccountsPage.js').then((module) => ({ default: module.KeyAccountsPage })),
);
const MarketPage = lazy(() =>
  import('./features/strategies/MarketPage.js').then((module) => ({ default: module.MarketPage })),
);

/** An area's page, or the "no access" panel for a role that may not read the area. */
const only = (area: AreaKey, page: ReactNode) => <RequireArea area={area}>{page}</RequireArea>;

/** A lazily loaded page with the app's loader while its chunk arrives. */
const later = (page: ReactNode) => (
  <Suspense
    fallback={
      <Center py="xl">
        <Loader size="sm" />
      </Center>
    }
  >
    {page}
  </Suspense>
);

const theme = createTheme({
  primaryColor: 'teal',
  // Latin first, then the Hong Kong Traditional Chinese faces each platform ships.
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang HK", "Microsoft JhengHei", "Noto Sans CJK HK", "Noto Sans HK", "Noto Sans CJK TC", sans-serif',
});

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // A 401 anywhere means the session ended (signed out elsewhere, deactivated, expired): asking again who is
    // signed in gets the 401 too, and RequireAuth sends the visitor to the sign-in page.
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isApiError(error) && error.status === 401 && query.queryKey[1] !== authKeys.me[1]) {
          void client.invalidateQueries({ queryKey: authKeys.me });
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A 4xx will not change on retry; network trouble and 5xx get two more tries.
        retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
    },
  });
  return client;
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route path="sign-in" element={<SignInPage />} />
            <Route element={<RequireAuth />}>
              <Route element={<AppLayout />}>
                <Route index element={<Navigate to="/customers" replace />} />
                <Route path="customers" element={only('customers', <CustomersPage />)} />
                <Route path="customers/import" element={only('customers', later(<ImportWizardPage />))} />
                <Route path="customers/imports" element={only('customers', later(<ImportHistoryPage />))} />
                <Route path="customers/imports/:id" element={only('customers', later(<ImportResultPage />))} />
                <Route path="customers/duplicates" element={only('customers', later(<DuplicatesPage />))} />
                <Route path="customers/:id" element={only('customers', later(<CustomerDetailPage />))} />
                <Route path="analytics/*" element={only('analytics', later(<AnalyticsPage />))} />
                {areas
                  .filter((area) => !area.built)
                  .map((area) => (
                    <Route
                      key={area.key}
                      path={`${area.path.slice(1)}/*`}
                      element={only(area.key, <NotBuiltPage area={area.key} />)}
                    />
                  ))}
                <Route path="segments/*" element={only('segments', later(<SegmentsArea />))} />
                <Route path="strategies/*" element={only('strategies', later(<StrategiesArea />))} />
                <Route path="key-accounts" element={only('keyAccounts', later(<KeyAccountsPage />))} />
                <Route path="market" element={only('market', later(<MarketPage />))} />
                <Route path="engagement/*" element={only('engagement', later(<TasksPage />))} />
                <Route path="profile" element={<ProfilePage />} />
                <Route path="admin/*" element={only('admin', <AdminPage />)} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
