/**
 * Every area the product will have, in navigation order. `built` areas have real pages; the rest
 * show a "not built yet" page that says what they will hold (areas.<key> in the i18n resources).
 */
export const areas = [
  { key: 'customers', path: '/customers', built: true },
  { key: 'analytics', path: '/analytics', built: true },
  { key: 'segments', path: '/segments', built: true },
  { key: 'strategies', path: '/strategies', built: true },
  { key: 'engagement', path: '/engagement', built: true },
  { key: 'complaints', path: '/complaints', built: false },
  { key: 'surveys', path: '/surveys', built: false },
  { key: 'kpis', path: '/kpis', built: false },
  { key: 'reports', path: '/reports', built: false },
  { key: 'privacy', path: '/privacy', built: false },
  { key: 'admin', path: '/admin', built: true },
] as const;

export type Area = (typeof areas)[number];
export type AreaKey = Area['key'];

/** The area a URL belongs to (/customers/12 → customers), for the active navigation link. */
export function areaOfPath(pathname: string): AreaKey | null {
  const first = pathname.split('/').filter(Boolean)[0];
  return areas.find((area) => area.path === `/${first ?? ''}`)?.key ?? null;
}
