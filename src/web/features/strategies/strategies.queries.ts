import { queryOptions } from '@tanstack/react-query';
import type { Segment } from '../../../features/segments/segment.schema.js';
import type {
  ApprovalCreate,
  Budget,
  GuidedDraft,
  GuidedDraftRequest,
  Scenario,
  Strategy,
  StrategyCreate,
  StrategyStatus,
  StrategySummary,
  TransitionResult,
  VersionDiff,
  VersionSummary,
} from '../../../features/strategies/strategy.schema.js';
import { apiGet, apiSend } from '../../api.js';

/** TanStack Query definitions for the strategies API (documents, guided builder, lifecycle, figures). */
export const strategyKeys = {
  all: ['strategies'] as const,
  list: ['strategies', 'list'] as const,
  one: (id: number) => ['strategies', 'one', id] as const,
  budget: (id: number, version: number) => ['strategies', 'budget', id, version] as const,
  scenario: (id: number, version: number, drop: number) => ['strategies', 'scenario', id, version, drop] as const,
  versions: (id: number) => ['strategies', 'versions', id] as const,
  diff: (id: number, from: number, to: number) => ['strategies', 'diff', id, from, to] as const,
  draft: (request: GuidedDraftRequest) => ['strategies', 'guided-draft', request] as const,
  segments: (industry: string) => ['segments', 'list', industry] as const,
};

export const strategyListQuery = () =>
  queryOptions({
    queryKey: strategyKeys.list,
    queryFn: ({ signal }) => apiGet<{ items: StrategySummary[] }>('/api/strategies', {}, { signal }),
  });

export const strategyQuery = (id: number) =>
  queryOptions({
    queryKey: strategyKeys.one(id),
    queryFn: ({ signal }) => apiGet<Strategy>(`/api/strategies/${id}`, {}, { signal }),
  });

export const budgetQuery = (id: number, version: number) =>
  queryOptions({
    queryKey: strategyKeys.budget(id, version),
    queryFn: ({ signal }) => apiGet<Budget>(`/api/strategies/${id}/budget`, {}, { signal }),
  });

export const scenarioQuery = (id: number, version: number, volumeDropPercent: number) =>
  queryOptions({
    queryKey: strategyKeys.scenario(id, version, volumeDropPercent),
    queryFn: ({ signal }) =>
      apiSend<Scenario>('POST', `/api/strategies/${id}/scenario`, { volumeDropPercent }, { signal }),
    placeholderData: (previous) => previous,
  });

export const versionsQuery = (id: number) =>
  queryOptions({
    queryKey: strategyKeys.versions(id),
    queryFn: ({ signal }) => apiGet<{ items: VersionSummary[] }>(`/api/strategies/${id}/versions`, {}, { signal }),
  });

export const diffQuery = (id: number, from: number, to: number) =>
  queryOptions({
    queryKey: strategyKeys.diff(id, from, to),
    queryFn: ({ signal }) => apiGet<VersionDiff>(`/api/strategies/${id}/diff`, { from, to }, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const guidedDraftQuery = (request: GuidedDraftRequest) =>
  queryOptions({
    queryKey: strategyKeys.draft(request),
    queryFn: ({ signal }) => apiSend<GuidedDraft>('POST', '/api/strategies/guided-draft', request, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const segmentListQuery = (industry: string) =>
  queryOptions({
    queryKey: strategyKeys.segments(industry),
    queryFn: ({ signal }) => apiGet<{ items: Segment[] }>('/api/segments', { industry }, { signal }),
  });

export const createStrategy = (input: StrategyCreate) => apiSend<Strategy>('POST', '/api/strategies', input);

export const transitionStrategy = (id: number, version: number, to: StrategyStatus, note?: string) =>
  apiSend<TransitionResult>('POST', `/api/strategies/${id}/transitions`, {
    version,
    to,
    ...(note ? { note } : {}),
  });

export const decideApproval = (id: number, input: ApprovalCreate) =>
  apiSend<unknown>('POST', `/api/strategies/${id}/approvals`, input);

export const addComment = (id: number, department: string, body: string) =>
  apiSend<unknown>('POST', `/api/strategies/${id}/comments`, { department, body });
