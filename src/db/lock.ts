import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/errors.js';

/**
 * One process per PGlite data folder: a lock file holding the owner's pid, created with O_EXCL.
 * A lock left by a process that no longer exists (kill -9, power loss) is taken over at once,
 * so a crash never needs a manual clean-up; a live owner makes the second process fail fast.
 * (proper-lockfile judges staleness by age instead, which blocks a restart for seconds after a crash.)
 */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOwner = (path: string): number | null => {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'rapport.lock');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          if (readOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('data_locked', `Cannot create the lock file ${path}: ${(error as Error).message}`);
      }
      const owner = readOwner(path);
      if (owner !== null && owner !== process.pid && isProcessAlive(owner)) {
        throw new AppError(
          'data_locked',
          `The data folder ${dataDir} is in use by another Rapport process (pid ${owner}). Stop it first, or use another --data-dir.`,
          { dataDir, pid: owner },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('data_locked', `Could not lock the data folder ${dataDir}.`, { dataDir });
}
