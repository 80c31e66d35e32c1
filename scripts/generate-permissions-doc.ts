/**
 * Writes docs/permissions.md from the role matrix that enforces it (src/features/auth/permissions.rules.ts),
 * formatted as `prettier --check` expects.
 *   node --import tsx scripts/generate-permissions-doc.ts          write the file
 *   node --import tsx scripts/generate-permissions-doc.ts --check  exit 1 when the file is stale
 * src/features/auth/permissions.doc.test.ts fails when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderPermissionsDoc } from '../src/features/auth/index.js';

export const permissionsDocPath = fileURLToPath(new URL('../docs/permissions.md', import.meta.url));

export async function expectedPermissionsDoc(): Promise<string> {
  const config = (await resolveConfig(permissionsDocPath)) ?? {};
  return format(renderPermissionsDoc(), { ...config, parser: 'markdown' });
}

export function currentPermissionsDoc(): string {
  try {
    return readFileSync(permissionsDocPath, 'utf8');
  } catch {
    return '';
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const expected = await expectedPermissionsDoc();
  if (process.argv.includes('--check')) {
    if (currentPermissionsDoc() !== expected) {
      process.stderr.write('docs/permissions.md is stale: run node --import tsx scripts/generate-permissions-doc.ts\n');
      process.exit(1);
    }
    process.stdout.write('docs/permissions.md is up to date.\n');
  } else {
    writeFileSync(permissionsDocPath, expected);
    process.stdout.write(`Wrote ${permissionsDocPath}\n`);
  }
}
