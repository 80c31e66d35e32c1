import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { tokenPrefix } from './auth.rules.js';

/**
 * Secrets: random tokens, their SHA-256 (the only form stored), argon2id password hashes and the CSRF token.
 * argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane) — @node-rs/argon2's defaults.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

export const argon2Hasher: PasswordHasher = {
  // The library's default algorithm is argon2id (hashes start $argon2id$; a test checks it).
  hash: (password) => hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
  verify: async (hashed, password) => {
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  },
};

/** 32 random bytes as 43 base64url characters. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

export const newSessionToken = (): string => randomSecret();
export const newApiToken = (): string => `${tokenPrefix}${randomSecret()}`;

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The CSRF token of a session: derived from the session's secret, so it needs no storage, changes with every
 * session, and cannot be computed by a page that cannot read the httpOnly cookie.
 */
export const csrfTokenFor = (sessionToken: string): string =>
  createHash('sha256').update(`rapport.csrf.v1:${sessionToken}`, 'utf8').digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A generated password for `users add` without --password-stdin: 20 characters, about 120 bits. */
export const generatedPassword = (): string => randomBytes(15).toString('base64url');
