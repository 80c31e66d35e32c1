import { describe, expect, it } from 'vitest';
import { areaOfPath, mayOpen, openAreas } from './areas.js';

// Grants as /api/auth/me returns them (excerpts of the server's role matrix).
const service = {
  accounts: { read: 'team' },
  engagement: { read: 'team' },
  complaints: { read: 'team', create: 'team' },
  kpis: { read: 'all' },
  teams: { read: 'all' },
} as const;
const sales = { accounts: { read: 'team' }, analytics: { read: 'own' }, strategies: { read: 'all' } } as const;

describe('areas by role', () => {
  it('opens the areas whose resource the role may read, in navigation order', () => {
    expect(openAreas(service).map((area) => area.key)).toEqual([
      'customers',
      'engagement',
      'complaints',
      'kpis',
      'admin',
    ]);
  });

  it('needs analytics on every record for the analytics area (runs span all customers)', () => {
    expect(mayOpen(sales, 'analytics')).toBe(false);
    expect(mayOpen({ analytics: { read: 'all' } }, 'analytics')).toBe(true);
  });

  it('opens the key-account matrix and market metrics with strategies read', () => {
    expect(mayOpen(sales, 'keyAccounts')).toBe(true);
    expect(mayOpen(sales, 'market')).toBe(true);
    expect(mayOpen(service, 'keyAccounts')).toBe(false);
  });

  it('opens nothing without grants', () => {
    expect(openAreas({})).toEqual([]);
  });

  it('finds the area of a path', () => {
    expect(areaOfPath('/key-accounts')).toBe('keyAccounts');
    expect(areaOfPath('/customers/12')).toBe('customers');
    expect(areaOfPath('/profile')).toBeNull();
  });
});
