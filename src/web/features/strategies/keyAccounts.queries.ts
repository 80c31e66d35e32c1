import { queryOptions } from '@tanstack/react-query';
import type { PortfolioMatrix } from '../../../features/strategies/key-account.schema.js';
import type { MarketFigure, MarketFigureInput, MarketMetrics } from '../../../features/strategies/market.schema.js';
import { apiGet, apiSend } from '../../api.js';

/** TanStack Query definitions for the key-account matrix and market metrics. */
export const planningKeys = {
  matrix: ['key-accounts', 'matrix'] as const,
  market: (segmentId: number | null) => ['market-metrics', segmentId] as const,
  allMarket: ['market-metrics'] as const,
};

export const matrixQuery = () =>
  queryOptions({
    queryKey: planningKeys.matrix,
    queryFn: ({ signal }) => apiGet<PortfolioMatrix>('/api/key-accounts/matrix', {}, { signal }),
  });

export const marketMetricsQuery = (segmentId: number | null) =>
  queryOptions({
    queryKey: planningKeys.market(segmentId),
    queryFn: ({ signal }) =>
      apiGet<MarketMetrics>('/api/market-metrics', segmentId === null ? {} : { segmentId }, { signal }),
  });

export const createMarketFigure = (input: MarketFigureInput) =>
  apiSend<MarketFigure>('POST', '/api/market-metrics/figures', input);

export const deleteMarketFigure = (id: number, version: number) =>
  apiSend<void>('DELETE', `/api/market-metrics/figures/${id}?version=${version}`);
