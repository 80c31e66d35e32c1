import { describe, expect, it } from 'vitest';
import {
  afterFailedLogin,
  assertPasswordAcceptable,
  authPolicy,
  isLocked,
  isUnsafeMethod,
  needsTouch,
  parseAuthorization,
  parseDuration,
  sessionAlive,
  sessionExpiry,
  tokenAlive,
} from './auth.rules.js';

const at = (iso: string) => new Date(iso);
const token = `rpt_${'a'.repeat(43)}`;

describe('lockout', () => {
  it('locks after the fifth consecutive failure, for fifteen minutes', () => {
    let state = { failedLogins: 0, lockedUntil: null as Date | null };
    const now = at('2026-11-24T02:00:00Z');
    for (let i = 1; i < authPolicy.maxFailedLogins; i += 1) {
      state = afterFailedLogin(state.failedLogins, now);
      expect(state).toEqual({ failedLogins: i, lockedUntil: null });
    }
    state = afterFailedLogin(state.failedLogins, now);
    expect(state.lockedUntil).toEqual(at('2026-11-24T02:15:00Z'));
    expect(isLocked(state.lockedUntil, at('2026-11-24T02:14:59Z'))).toBe(true);
    expect(isLocked(state.lockedUntil, at('2026-11-24T02:15:00Z'))).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
});

describe('sessions and tokens', () => {
  const signedIn = at('2026-11-24T02:00:00Z');
  const session = { expiresAt: sessionExpiry(signedIn), lastSeenAt: signedIn, revokedAt: null };

  it('end after twelve idle hours, after seven days in any case, and when revoked', () => {
    expect(sessionAlive(session, at('2026-11-24T13:59:59Z'))).toBe(true);
    expect(sessionAlive(session, at('2026-11-24T14:00:00Z'))).toBe(false);
    expect(sessionAlive({ ...session, lastSeenAt: at('2026-12-01T01:00:00Z') }, at('2026-12-01T02:00:00Z'))).toBe(
      false,
    );
    expect(sessionAlive({ ...session, revokedAt: signedIn }, signedIn)).toBe(false);
  });

  it('tokens end at their expiry or when revoked', () => {
    expect(tokenAlive({ expiresAt: at('2026-12-01T00:00:00Z'), revokedAt: null }, at('2026-11-30T23:59:59Z'))).toBe(
      true,
    );
    expect(tokenAlive({ expiresAt: at('2026-12-01T00:00:00Z'), revokedAt: null }, at('2026-12-01T00:00:00Z'))).toBe(
      false,
    );
    expect(tokenAlive({ expiresAt: at('2026-12-01T00:00:00Z'), revokedAt: signedIn }, signedIn)).toBe(false);
  });

  it('write last-seen times at most every five minutes', () => {
    expect(needsTouch(null, signedIn)).toBe(true);
    expect(needsTouch(signedIn, at('2026-11-24T02:04:59Z'))).toBe(false);
    expect(needsTouch(signedIn, at('2026-11-24T02:05:00Z'))).toBe(true);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['90m', 90 * 60_000],
    ['366d', 366 * 86_400_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '0d', '30', '30s', '367d', '-1d', '1.5d', '1000000d'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('parseAuthorization', () => {
  it('reads Bearer tokens and nothing else', () => {
    expect(parseAuthorization(undefined)).toEqual({ kind: 'none' });
    expect(parseAuthorization('')).toEqual({ kind: 'none' });
    expect(parseAuthorization(`Bearer ${token}`)).toEqual({ kind: 'bearer', token });
    expect(parseAuthorization(`bearer ${token}`)).toEqual({ kind: 'bearer', token });
    for (const header of [
      `Basic ${token}`,
      'Bearer',
      'Bearer short',
      `Bearer ${token} extra`,
      `Token ${token}`,
      `Bearer ${token.slice(4)}`,
    ]) {
      expect(parseAuthorization(header), header).toEqual({ kind: 'malformed' });
    }
  });
});

it('treats every method but GET, HEAD and OPTIONS as a change', () => {
  expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(isUnsafeMethod)).toEqual([false, false, false, false]);
  expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isUnsafeMethod)).toEqual([true, true, true, true]);
});

it('refuses a password equal to the e-mail address or its local part', () => {
  expect(() => assertPasswordAcceptable('Mei.Chan@Example.hk', 'mei.chan@example.hk')).toThrow(/e-mail/);
  expect(() => assertPasswordAcceptable('mei.chan', 'mei.chan@example.hk')).toThrow(/e-mail/);
  expect(() => assertPasswordAcceptable('a long passphrase', 'mei.chan@example.hk')).not.toThrow();
});
