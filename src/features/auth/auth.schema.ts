import { z } from 'zod';

/**
 * Shapes of sign-in, users, teams, tokens and permissions, shared by the API, the CLI and the web app.
 * The role matrix itself is in permissions.rules.ts; this file only names its parts.
 */
export const roleSchema = z.enum([
  'admin',
  'manager',
  'analyst',
  'sales',
  'service',
  'marketing',
  'privacy_officer',
  'auditor',
  'viewer',
]);
export type Role = z.infer<typeof roleSchema>;
export const roles = roleSchema.options;

/** What a permission is about. A feature that adds a kind of data adds its resource here and a row per role. */
export const resourceSchema = z.enum([
  'accounts',
  'contacts',
  'transactions',
  'interactions',
  'imports',
  'analytics',
  'segments',
  'strategies',
  'engagement',
  'complaints',
  'surveys',
  'kpis',
  'reports',
  'privacy',
  'settings',
  'users',
  'teams',
  'tokens',
  'audit',
]);
export type Resource = z.infer<typeof resourceSchema>;
export const resources = resourceSchema.options;

export const actionSchema = z.enum(['read', 'create', 'update', 'delete', 'export', 'import']);
export type Action = z.infer<typeof actionSchema>;
export const actions = actionSchema.options;

/** own: records of accounts the user owns · team: owned by someone in the user's team · all: every record. */
export const scopeSchema = z.enum(['own', 'team', 'all']);
export type Scope = z.infer<typeof scopeSchema>;

/** Sensitive field classes: personal data (contact e-mail, phone) and commercial secrets (cost, margin). */
export const fieldClassSchema = z.enum(['personal', 'commercial']);
export type FieldClass = z.infer<typeof fieldClassSchema>;

/** One role's grants: for each resource, the scope of each action it may take (absent: not allowed). */
export type Grants = Readonly<Partial<Record<Resource, Readonly<Partial<Record<Action, Scope>>>>>>;

/** What a route declares in its options (`config`): exactly one of these. */
export interface PermissionDeclaration {
  resource: Resource;
  action: Action;
}
export type RouteAccess = { public: true } | { signedIn: true } | { permission: PermissionDeclaration };

/** How the request was authenticated; 'cli' and 'system' are trusted in-process callers. */
export const viaSchema = z.enum(['session', 'token', 'cli', 'system', 'anonymous']);
export type Via = z.infer<typeof viaSchema>;

/**
 * Who is acting, with what rights, from where. Services take an Actor and apply its record scope
 * (scope.repository.ts) and field masks (permissions.rules.ts); audit entries take who and where from it.
 */
export interface Actor {
  /** null only for the system actor (demo seeding, migrations, jobs). */
  readonly userId: number | null;
  /** The effective role: the user's, or the token's (never above the user's). */
  readonly role: Role;
  readonly team: string | null;
  readonly via: Via;
  /** The role's grants: resource → action → scope. */
  readonly grants: Grants;
  /** Sensitive field classes this actor may see, filter, sort and export. */
  readonly sees: Readonly<Record<FieldClass, boolean>>;
  readonly origin: { readonly ip: string | null; readonly userAgent: string | null };
  readonly sessionId?: number;
  readonly tokenId?: number;
}

// ── API shapes ─────────────────────────────────────────────────────────────────────────────────────────────

export const languageSchema = z.enum(['en', 'zh-Hant']);
export type Language = z.infer<typeof languageSchema>;

/** No control characters (NUL cannot even be stored): names, e-mails, team and token names are plain text. */
const plainText = (value: string) => ![...value].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127);
const plainTextMessage = 'must not contain control characters';

const emailSchema = z
  .string()
  .refine(plainText, plainTextMessage)
  .trim()
  .toLowerCase()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address');

/** Length only (NIST 800-63B): at least 10 characters; at most 256 so hashing stays cheap. */
export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256)
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');

const teamNameSchema = z.string().refine(plainText, plainTextMessage).trim().min(1).max(100);
const displayNameSchema = z.string().refine(plainText, plainTextMessage).trim().min(1).max(200);

export const loginBodySchema = z.object({
  email: z.string().refine(plainText, plainTextMessage).trim().toLowerCase().min(1).max(254),
  password: z
    .string()
    .min(1)
    .max(256)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters'),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  team: z.string().nullable(),
  language: languageSchema,
  active: z.boolean(),
  hasPassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

const grantsSchema = z.record(z.string(), z.record(z.string(), scopeSchema));

export const meSchema = z.object({
  user: userSchema,
  /** The effective role (a token's role may be below the user's). */
  role: roleSchema,
  via: viaSchema,
  grants: grantsSchema,
  sees: z.object({ personal: z.boolean(), commercial: z.boolean() }),
  /** Send back as the X-CSRF-Token header on every cookie-authenticated write. null for token sign-ins. */
  csrfToken: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;

export const changePasswordBodySchema = z.object({
  currentPassword: z
    .string()
    .min(1)
    .max(256)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters'),
  newPassword: passwordSchema,
});

export const profileBodySchema = z
  .object({
    displayName: displayNameSchema.optional(),
    language: languageSchema.optional(),
  })
  .strict();
export type ProfileBody = z.infer<typeof profileBodySchema>;

export const createUserBodySchema = z
  .object({
    email: emailSchema,
    displayName: displayNameSchema,
    role: roleSchema,
    team: teamNameSchema.nullable().optional(),
    password: passwordSchema,
    language: languageSchema.optional(),
  })
  .strict();
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

export const updateUserBodySchema = z
  .object({
    displayName: displayNameSchema.optional(),
    role: roleSchema.optional(),
    team: teamNameSchema.nullable().optional(),
  })
  .strict();
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

export const resetPasswordBodySchema = z.object({ password: passwordSchema }).strict();

export const userIdParamsSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
});

export const userListQuerySchema = z.object({
  q: z.string().refine(plainText, plainTextMessage).trim().max(200).optional().describe('Search over e-mail and name'),
  role: roleSchema.optional(),
  team: teamNameSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;
export const userListSchema = z.object({ items: z.array(userSchema) });

export const teamSchema = z.object({ name: z.string(), members: z.number().int(), createdAt: z.string().nullable() });
export type Team = z.infer<typeof teamSchema>;
export const teamListSchema = z.object({ items: z.array(teamSchema) });
export const createTeamBodySchema = z.object({ name: teamNameSchema }).strict();
export const teamNameParamsSchema = z.object({ name: teamNameSchema });

export const tokenSchema = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to recognise it'),
  role: roleSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof tokenSchema>;
export const tokenListSchema = z.object({ items: z.array(tokenSchema) });

export const createTokenBodySchema = z
  .object({
    name: z.string().refine(plainText, plainTextMessage).trim().min(1).max(100),
    role: roleSchema.optional().describe("Defaults to the user's role; may not exceed it"),
    expiresInDays: z.coerce.number().int().min(1).max(366).default(30),
  })
  .strict();
export type CreateTokenBody = z.infer<typeof createTokenBodySchema>;

export const createdTokenSchema = tokenSchema.extend({
  token: z.string().describe('The secret, shown this once; send as Authorization: Bearer <token>'),
});
export type CreatedToken = z.infer<typeof createdTokenSchema>;

export const tokenIdParamsSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
});
