import { queryOptions } from '@tanstack/react-query';
import type { Compliance, Task } from '../../../features/strategies/task.schema.js';
import { apiGet, apiSend } from '../../api.js';

/** TanStack Query definitions for the tasks API: my due tasks, completing one, and cadence compliance. */
export const taskKeys = {
  all: ['tasks'] as const,
  mine: (status: string) => ['tasks', 'mine', status] as const,
  compliance: (strategyId: number) => ['tasks', 'compliance', strategyId] as const,
};

/** Open tasks due within the next `dueWithinDays` days (overdue ones included), or the last completed ones. */
export const myTasksQuery = (status: 'open' | 'done', dueTo: string) =>
  queryOptions({
    queryKey: [...taskKeys.mine(status), dueTo],
    queryFn: ({ signal }) =>
      apiGet<{ items: Task[]; nextCursor: string | null }>(
        '/api/tasks',
        { mine: true, status, limit: 200, dueTo: status === 'open' ? dueTo : undefined },
        { signal },
      ),
  });

export const complianceQuery = (strategyId: number) =>
  queryOptions({
    queryKey: taskKeys.compliance(strategyId),
    queryFn: ({ signal }) => apiGet<Compliance>('/api/tasks/compliance', { strategyId }, { signal }),
  });

export const completeTask = (id: number, outcome: string) =>
  apiSend<Task>('POST', `/api/tasks/${id}/complete`, outcome.trim() ? { outcome: outcome.trim() } : {});
