import { describe, expect, it } from 'vitest';
import { can, safeNext } from './auth.queries.js';
import type { Me } from '../../../features/auth/auth.schema.js';

describe('safeNext', () => {
  it.each([
    [null, '/customers'],
    ['', '/customers'],
    ['/customers/12?tab=x', '/customers/12?tab=x'],
    ['/admin', '/admin'],
    ['//evil.example/x', '/customers'],
    ['/\\evil.example', '/customers'],
    ['https://evil.example', '/customers'],
    ['javascript:alert(1)', '/customers'],
    ['/sign-in?next=/x', '/customers'],
  ])('%j → %j', (next, expected) => expect(safeNext(next)).toBe(expected));
});

describe('can', () => {
  const me = { grants: { users: { read: 'team' } } } as unknown as Me;
  it('answers from the grants the API sent', () => {
    expect(can(me, 'users', 'read')).toBe(true);
    expect(can(me, 'users', 'update')).toBe(false);
    expect(can(undefined, 'users', 'read')).toBe(false);
  });
});
