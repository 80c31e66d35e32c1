import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { ApiToken, CreatedToken, Language, Me, Role, Team, User } from '../../../features/auth/auth.schema.js';
import { apiGet, apiSend, setCsrfToken } from '../../api.js';

/** TanStack Query definitions and calls of sign-in, the profile and user administration. */
export const authKeys = {
  me: ['auth', 'me'] as const,
  users: ['auth', 'users'] as const,
  teams: ['auth', 'teams'] as const,
};

/** Who is signed in; a 401 means nobody (the app sends the visitor to the sign-in page). */
export const meQuery = () =>
  queryOptions({
    queryKey: authKeys.me,
    queryFn: async ({ signal }) => {
      const me = await apiGet<Me>('/api/auth/me', {}, { signal });
      setCsrfToken(me.csrfToken);
      return me;
    },
    staleTime: 5 * 60_000,
    retry: false,
  });

export async function signIn(queryClient: QueryClient, email: string, password: string): Promise<Me> {
  const me = await apiSend<Me>('POST', '/api/auth/login', { email, password });
  setCsrfToken(me.csrfToken);
  queryClient.setQueryData(authKeys.me, me);
  return me;
}

export async function signOut(queryClient: QueryClient): Promise<void> {
  try {
    await apiSend<void>('POST', '/api/auth/logout');
  } finally {
    setCsrfToken(null);
    queryClient.clear();
  }
}

export const changePassword = (currentPassword: string, newPassword: string) =>
  apiSend<void>('POST', '/api/auth/password', { currentPassword, newPassword });

export const updateProfile = (changes: { displayName?: string; language?: Language }) =>
  apiSend<User>('PATCH', '/api/auth/me', changes);

export const usersQuery = () =>
  queryOptions({
    queryKey: authKeys.users,
    queryFn: ({ signal }) => apiGet<{ items: User[] }>('/api/users', {}, { signal }),
  });

export const teamsQuery = () =>
  queryOptions({
    queryKey: authKeys.teams,
    queryFn: ({ signal }) => apiGet<{ items: Team[] }>('/api/teams', {}, { signal }),
  });

export interface NewUserInput {
  email: string;
  displayName: string;
  role: Role;
  team: string | null;
  password: string;
}

export const createUser = (input: NewUserInput) => apiSend<User>('POST', '/api/users', input);
export const updateUser = (id: number, changes: { role?: Role; team?: string | null; displayName?: string }) =>
  apiSend<User>('PATCH', `/api/users/${id}`, changes);
export const deactivateUser = (id: number) => apiSend<User>('POST', `/api/users/${id}/deactivate`);
export const reactivateUser = (id: number) => apiSend<User>('POST', `/api/users/${id}/reactivate`);
export const createTeam = (name: string) => apiSend<Team>('POST', '/api/teams', { name });

/** May the signed-in user take this action on this resource (any scope)? For showing or hiding controls only. */
export const can = (me: Me | undefined, resource: string, action: string): boolean =>
  Boolean(me?.grants[resource]?.[action]);

/**
 * Where to go after signing in: the page the visitor asked for, if it is a path of this app
 * (never another site: "//evil.example" or "https://…" fall back to the customers list).
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/customers';
  if (next.startsWith('/sign-in')) return '/customers';
  return next;
}

export const tokenKeys = { mine: ['auth', 'tokens'] as const };

/** API tokens in the user's scope (never the secrets). */
export const tokensQuery = () =>
  queryOptions({
    queryKey: tokenKeys.mine,
    queryFn: ({ signal }) => apiGet<{ items: ApiToken[] }>('/api/tokens', {}, { signal }),
  });

/** A new token for myself; the secret is in this answer only. */
export const createToken = (input: { name: string; expiresInDays: number }) =>
  apiSend<CreatedToken>('POST', '/api/tokens', input);
export const revokeToken = (id: number) => apiSend<ApiToken>('DELETE', `/api/tokens/${id}`);
