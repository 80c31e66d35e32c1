import { defineConfig } from 'vitest/config';

/**
 * One `npm test` for every tier: unit/database/route tests beside the code (src/), the spawned CLI
 * (tests/cli) and browser flows (tests/e2e). Database-tier suites run on PGlite and PostgreSQL.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    // In CI a failed test is run once more and reported as flaky; a real failure still fails twice. The two
    // known flakes (a page-title race, unzipper's early end under exceljs) are fixed at their roots; this
    // stays as a guard for browser tests whose waits are timing-bound on a loaded 2-core machine.
    retry: process.env.CI === 'true' ? 1 : 0,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] } },
      { extends: true, test: { name: 'cli', include: ['tests/cli/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], fileParallelism: false } },
    ],
  },
});
