import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import type { AnalysisKind } from '../../../features/analytics/analytics.schema.js';
import { NotFoundPage } from '../../ui/NotFoundPage.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { AbcTab } from './AbcTab.js';
import { ChurnTab } from './ChurnTab.js';
import { ClvTab } from './ClvTab.js';
import { CohortsTab } from './CohortsTab.js';
import { RfmTab } from './RfmTab.js';

/** The tabs, in the order a practitioner reads them; each is a sub-route (/analytics/abc …). */
export const analyticsTabs: readonly AnalysisKind[] = ['abc', 'groups', 'rfm', 'clv', 'churn', 'cohorts'];

/** /analytics/*: one tab per analysis, each showing its latest stored run. */
export function AnalyticsPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const current = analyticsTabs.find((tab) => pathname.split('/')[2] === tab) ?? null;
  usePageTitle(current ? `${t(`analytics.tabs.${current}`)} · ${t('analytics.title')}` : t('analytics.title'));

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('analytics.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('analytics.intro')}
        </Text>
      </div>
      <Tabs value={current} onChange={(tab) => tab && void navigate(`/analytics/${tab}`)} keepMounted={false}>
        <Tabs.List>
          {analyticsTabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`analytics.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<Navigate to="abc" replace />} />
        <Route path="abc" element={<AbcTab key="abc" kind="abc" />} />
        <Route path="groups" element={<AbcTab key="groups" kind="groups" />} />
        <Route path="rfm" element={<RfmTab />} />
        <Route path="clv" element={<ClvTab />} />
        <Route path="churn" element={<ChurnTab />} />
        <Route path="cohorts" element={<CohortsTab />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Stack>
  );
}
