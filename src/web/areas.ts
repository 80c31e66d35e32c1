import type { Me } from '../features/auth/auth.schema.js';

type Grants = Me['grants'];

/**
 * What an area needs to be opened: read on one of `anyOf` (the server's permission table, as `/api/auth/me`
 * returns it in `grants`), with scope `all` where the area's pages read across every record (the analytics
 * runs answer 403 to a role that sees only its own accounts' figures).
 */
interface Access {
  readonly anyOf: readonly string[];
  readonly scope?: 'all';
}

/**
 * Every area the product will have, in navigation order. `built` areas have real pages; the rest
 * show a "not built yet" page that says what they will hold (areas.<key> in the i18n resources).
 */
export const areas = [
  { key: 'customers', path: '/customers', built: true, access: { anyOf: ['accounts'] } },
  { key: 'analytics', path: '/analytics', built: true, access: { anyOf: ['analytics'], scope: 'all' } },
  { key: 'segments', path: '/segments', built: true, access: { anyOf: ['segments'] } },
  { key: 'strategies', path: '/strategies', built: true, access: { anyOf: ['strategies'] } },
  { key: 'keyAccounts', path: '/key-accounts', built: true, access: { anyOf: ['strategies'] } },
  { key: 'market', path: '/market', built: true, access: { anyOf: ['strategies'] } },
  { key: 'engagement', path: '/engagement', built: true, access: { anyOf: ['engagement'] } },
  { key: 'complaints', path: '/complaints', built: false, access: { anyOf: ['complaints'] } },
  { key: 'surveys', path: '/surveys', built: false, access: { anyOf: ['surveys'] } },
  { key: 'kpis', path: '/kpis', built: false, access: { anyOf: ['kpis'] } },
  { key: 'reports', path: '/reports', built: false, access: { anyOf: ['reports'] } },
  { key: 'privacy', path: '/privacy', built: false, access: { anyOf: ['privacy'] } },
  { key: 'admin', path: '/admin', built: true, access: { anyOf: ['users', 'teams', 'audit'] } },
] as const satisfies readonly { key: string; path: string; built: boolean; access: Access }[];

export type Area = (typeof areas)[number];
export type AreaKey = Area['key'];

/** The area a URL belongs to (/customers/12 → customers), for the active navigation link. */
export function areaOfPath(pathname: string): AreaKey | null {
  const first = pathname.split('/').filter(Boolean)[0];
  return areas.find((area) => area.path === `/${first ?? ''}`)?.key ?? null;
}

/** May a user with these grants open the area? (Hides navigation only; the API enforces the same table.) */
export function mayOpen(grants: Grants, key: AreaKey): boolean {
  const access: Access = areas.find((area) => area.key === key)?.access ?? { anyOf: [] };
  return access.anyOf.some((resource) => {
    const scope = grants[resource]?.read;
    return scope !== undefined && (access.scope === undefined || scope === access.scope);
  });
}

/** The areas a user with these grants may open, in navigation order. */
export const openAreas = (grants: Grants): Area[] => areas.filter((area) => mayOpen(grants, area.key));
