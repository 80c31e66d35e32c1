import cliProgress from 'cli-progress';
import { isInteractiveTerminal } from '../config/env.js';

/**
 * A progress bar on stderr for long work. Off with --json and when stderr is not a terminal (CI, pipes),
 * where it prints one line per stage instead, so logs stay readable.
 */
export interface Progress {
  update(done: number, total: number, stage: string): void;
  stop(): void;
}

export function createProgress(options: { json?: boolean }): Progress {
  if (options.json) return { update: () => undefined, stop: () => undefined };
  if (!isInteractiveTerminal()) {
    let lastStage = '';
    return {
      update: (_done, total, stage) => {
        if (stage !== lastStage) {
          lastStage = stage;
          process.stderr.write(`${stage} (${total.toLocaleString('en')})…\n`);
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: ' {stage} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total, stage) => {
      if (!started) {
        bar.start(total, done, { stage });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { stage });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
