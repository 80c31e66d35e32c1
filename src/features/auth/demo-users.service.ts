import { sql } from 'kysely';
import type { Database } from '../../db/connect.js';
import { findUserByEmail, insertTeam, insertUserRow, setPasswordHash } from './auth.repository.js';
import { roles, type Role } from './auth.schema.js';
import { argon2Hasher, type PasswordHasher } from './auth.secrets.js';
import { authDb } from './auth.tables.js';

/**
 * Demo mode: one user per role (admin@demo.rapport.hk, manager@…, …) with one shared password, so every role
 * can be tried in the web app and the API. The team-scoped roles join the team that owns the most accounts,
 * and the demo sales user takes over a few of that team's accounts so "own" scope shows real records.
 * Idempotent: existing demo users are left as they are.
 */
export const demoPassword = 'rapport-demo-2026';
export const demoDomain = 'demo.rapport.hk';

export interface DemoSignIn {
  email: string;
  role: Role;
  team: string | null;
  created: boolean;
}

const demoEmail = (role: Role): string => `${role.replace('_', '-')}@${demoDomain}`;
const teamRoles: ReadonlySet<Role> = new Set(['manager', 'sales', 'service']);
const salesAccountsTaken = 25;

export async function seedDemoUsers(
  database: Pick<Database, 'db'>,
  options: { password?: string; hasher?: PasswordHasher } = {},
): Promise<{ password: string; users: DemoSignIn[] }> {
  const { db } = database;
  const password = options.password ?? demoPassword;
  const hasher = options.hasher ?? argon2Hasher;
  const busiest = await sql<{ team: string }>`
    select u.team from accounts as a join users as u on u.id = a.owner_id
    where u.team is not null group by u.team order by count(*) desc, u.team limit 1`.execute(db);
  const team = busiest.rows[0]?.team ?? 'Demo Team';
  await insertTeam(db, team);
  const passwordHash = await hasher.hash(password);
  const users: DemoSignIn[] = [];
  for (const role of roles) {
    const email = demoEmail(role);
    const existing = await findUserByEmail(db, email);
    if (existing) {
      users.push({ email, role: existing.role, team: existing.team, created: false });
      continue;
    }
    const userTeam = teamRoles.has(role) ? team : null;
    const id = await insertUserRow(db, {
      email,
      displayName: `Demo ${role.replace('_', ' ')}`,
      role,
      team: userTeam,
      passwordHash: null,
      language: 'en',
    });
    await setPasswordHash(db, id, passwordHash, new Date());
    users.push({ email, role, team: userTeam, created: true });
    if (role === 'sales') {
      await sql`
        update accounts set owner_id = ${id}
        where id in (
          select a.id from accounts as a join users as u on u.id = a.owner_id
          where u.team = ${team} and u.id <> ${id} order by a.id limit ${salesAccountsTaken})`.execute(authDb(db));
    }
  }
  return { password, users };
}
