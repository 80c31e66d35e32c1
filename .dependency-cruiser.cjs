/**
 * The architecture's import rules (shared/design/architecture.md, "Dependencies point inward"),
 * checked by `npm run check`. A rule's comment is the message a developer sees.
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-the-kernel',
      comment: 'src/shared imports nothing of Rapport outside src/shared.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'pure-logic-has-no-io',
      comment:
        'Rules and analytics models are pure: no database, server, file system or network; time comes in as a Clock.',
      severity: 'error',
      from: { path: '(\\.rules\\.ts$|^src/features/analytics/models/)', pathNot: '\\.test\\.ts$' },
      to: {
        path: '(^src/(db|server|cli|config|compose)|\\.repository\\.ts$|\\.service\\.ts$|^node_modules/(pg|kysely|fastify|@electric-sql)/)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'pure-logic-no-node-io',
      comment: 'Rules and analytics models do not touch node I/O modules.',
      severity: 'error',
      from: { path: '(\\.rules\\.ts$|^src/features/analytics/models/)', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(fs|fs/promises|net|http|https|child_process|worker_threads)$' },
    },
    {
      name: 'adapters-call-services',
      comment: 'Routes and commands are thin adapters: they call a service, never a repository.',
      severity: 'error',
      from: { path: '(\\.routes\\.ts$|\\.commands\\.ts$|^src/server/|^src/cli/)' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'features-meet-through-index',
      comment: 'A feature uses another feature only through its index.ts.',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/([^/]+)/', pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-uses-feature-index',
      comment: 'Server, CLI and compose use a feature only through its index.ts (or its schema).',
      severity: 'error',
      from: { path: '^src/(server|cli|compose|demo)' },
      to: { path: '^src/features/[^/]+/', pathNot: '(index|\\.schema)\\.ts$' },
    },
    {
      name: 'web-sees-only-schemas',
      comment: 'The web app may import only *.schema.ts files and src/shared from the rest of the code.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/', pathNot: ['^src/web/', '\\.schema\\.ts$', '^src/shared/(errors|page|api-errors)\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(node_modules|dist)' },
  },
};
