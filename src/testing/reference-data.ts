import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The repository root (this file is src/testing/reference-data.ts). */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * The shared reference data sets (CDNOW, UCI Online Retail, …). CI clones the repo with shared/ beside it,
 * so the folder is ../shared/data; RAPPORT_SHARED_DATA is not read here on purpose (env is read in config only).
 */
export const referenceDataDir = resolve(repoRoot, '..', 'shared', 'data');

export const referenceFile = (...parts: string[]): string => {
  const path = resolve(referenceDataDir, ...parts);
  if (!existsSync(path)) throw new Error(`Reference data file missing: ${path}`);
  return path;
};
