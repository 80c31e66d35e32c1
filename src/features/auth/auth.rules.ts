import { AppError } from '../../shared/errors.js';

/**
 * Pure sign-in policy: lockout, session lifetimes, token and header formats. Time comes in as a Date.
 */
export const authPolicy = {
  /** Consecutive failed sign-ins that lock an account… */
  maxFailedLogins: 5,
  /** …for this long. During the lock every sign-in fails with the same generic message. */
  lockoutMinutes: 15,
  /** A session ends this long after sign-in, whatever happens. */
  sessionAbsoluteHours: 7 * 24,
  /** …or after this long without a request. */
  sessionIdleHours: 12,
  /** last_seen_at / last_used_at are written at most this often (not on every request). */
  touchEveryMinutes: 5,
  tokenMaxDays: 366,
} as const;

const minute = 60_000;
const hour = 60 * minute;

/** The generic sign-in failure: the same words whether the e-mail is unknown, the password wrong or the account locked. */
export const signInFailedMessage =
  'Sign-in failed: the e-mail or password is not correct. After repeated failures sign-in is paused for a few minutes.';

export const isLocked = (lockedUntil: Date | null, now: Date): boolean =>
  lockedUntil !== null && lockedUntil.getTime() > now.getTime();

/** The counters after one more failed sign-in: the account locks when the count reaches the limit. */
export function afterFailedLogin(failedLogins: number, now: Date): { failedLogins: number; lockedUntil: Date | null } {
  const failures = failedLogins + 1;
  if (failures >= authPolicy.maxFailedLogins) {
    return { failedLogins: 0, lockedUntil: new Date(now.getTime() + authPolicy.lockoutMinutes * minute) };
  }
  return { failedLogins: failures, lockedUntil: null };
}

export const sessionExpiry = (now: Date): Date => new Date(now.getTime() + authPolicy.sessionAbsoluteHours * hour);

export interface SessionTimes {
  expiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
}

export function sessionAlive(session: SessionTimes, now: Date): boolean {
  if (session.revokedAt) return false;
  if (session.expiresAt.getTime() <= now.getTime()) return false;
  return now.getTime() - session.lastSeenAt.getTime() < authPolicy.sessionIdleHours * hour;
}

export function tokenAlive(token: { expiresAt: Date; revokedAt: Date | null }, now: Date): boolean {
  return !token.revokedAt && token.expiresAt.getTime() > now.getTime();
}

/** Whether a last-seen time is old enough to be written again. */
export const needsTouch = (last: Date | null, now: Date): boolean =>
  last === null || now.getTime() - last.getTime() >= authPolicy.touchEveryMinutes * minute;

/** "30d", "12h", "90m" → milliseconds; at most tokenMaxDays. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})\s*([dhm])$/.exec(text.trim());
  if (!match) throw new AppError('validation_failed', `Invalid duration "${text}": use e.g. 30d, 12h or 90m.`);
  const amount = Number(match[1]);
  const ms = amount * (match[2] === 'd' ? 24 * hour : match[2] === 'h' ? hour : minute);
  if (amount <= 0 || ms > authPolicy.tokenMaxDays * 24 * hour) {
    throw new AppError('validation_failed', `Invalid duration "${text}": between 1m and ${authPolicy.tokenMaxDays}d.`);
  }
  return ms;
}

/** API tokens look like rpt_<43 base64url characters>; the prefix makes them easy to find in leaked text. */
export const tokenPrefix = 'rpt_';
const tokenPattern = /^rpt_[A-Za-z0-9_-]{43}$/;
const sessionPattern = /^[A-Za-z0-9_-]{43}$/;

export const isTokenFormat = (value: string): boolean => tokenPattern.test(value);
export const isSessionFormat = (value: string): boolean => sessionPattern.test(value);

/** The Authorization header: absent → none; "Bearer <token>" → the token; anything else → malformed. */
export function parseAuthorization(
  header: string | undefined,
): { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'malformed' } {
  if (header === undefined || header === '') return { kind: 'none' };
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  if (!match?.[1] || !isTokenFormat(match[1])) return { kind: 'malformed' };
  return { kind: 'bearer', token: match[1] };
}

/** Methods that change state and therefore need the CSRF header when the caller signed in with a cookie. */
export const isUnsafeMethod = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

/** A password may not be the e-mail address or its local part. */
export function assertPasswordAcceptable(password: string, email: string): void {
  const lower = password.toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (lower === email.toLowerCase() || (local.length > 0 && lower === local)) {
    throw new AppError('validation_failed', 'The password may not be the e-mail address.', { parameter: 'password' });
  }
}

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
export const escapeLikeText = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
