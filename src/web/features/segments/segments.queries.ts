import { queryOptions } from '@tanstack/react-query';
import type {
  Segment,
  SegmentMember,
  SegmentSnapshot,
  SnapshotChanges,
} from '../../../features/segments/segment.schema.js';
import { apiGet, apiSend } from '../../api.js';

/** TanStack Query definitions for the segments API: the list with live counts, members and snapshots. */
export const segmentKeys = {
  all: ['segments'] as const,
  list: ['segments', 'all'] as const,
  one: (id: number) => ['segments', 'one', id] as const,
  members: (id: number) => ['segments', 'members', id] as const,
  snapshots: (id: number) => ['segments', 'snapshots', id] as const,
  changes: (id: number, snapshotId: number) => ['segments', 'changes', id, snapshotId] as const,
};

export const allSegmentsQuery = () =>
  queryOptions({
    queryKey: segmentKeys.list,
    queryFn: ({ signal }) => apiGet<{ items: Segment[] }>('/api/segments', {}, { signal }),
  });

export const segmentQuery = (id: number) =>
  queryOptions({
    queryKey: segmentKeys.one(id),
    queryFn: ({ signal }) => apiGet<Segment>(`/api/segments/${id}`, {}, { signal }),
  });

export const membersQuery = (id: number) =>
  queryOptions({
    queryKey: segmentKeys.members(id),
    queryFn: ({ signal }) =>
      apiGet<{ items: SegmentMember[]; nextCursor: string | null }>(
        `/api/segments/${id}/members`,
        { limit: 50 },
        { signal },
      ),
  });

export const snapshotsQuery = (id: number) =>
  queryOptions({
    queryKey: segmentKeys.snapshots(id),
    queryFn: ({ signal }) => apiGet<{ items: SegmentSnapshot[] }>(`/api/segments/${id}/snapshots`, {}, { signal }),
  });

export const changesQuery = (id: number, snapshotId: number) =>
  queryOptions({
    queryKey: segmentKeys.changes(id, snapshotId),
    queryFn: ({ signal }) => apiGet<SnapshotChanges>(`/api/segments/${id}/snapshots/${snapshotId}`, {}, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const installDefaults = (industry: string) =>
  apiSend<{ created: Segment[] }>('POST', '/api/segments/defaults', { industry });

export const takeSnapshot = (id: number) => apiSend<SegmentSnapshot>('POST', `/api/segments/${id}/snapshots`, {});
