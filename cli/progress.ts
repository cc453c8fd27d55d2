/**
 * Progress for long runs (plan or synth of a large fleet): one line on stderr, rewritten in place with
 * `\r`, shown only on an interactive terminal and never with `--quiet`, so CI logs and piped output
 * carry results only.
 */
import type { Io } from './command';

export interface Progress {
  /** Reports `done` of `total` units of the current step; cheap to call in a loop. */
  step(label: string, done: number, total: number): void;
  /** Clears the progress line; call before printing results. */
  done(): void;
}

const SILENT: Progress = { step: () => undefined, done: () => undefined };

export function createProgress(io: Pick<Io, 'stderr' | 'interactive'>, quiet = false): Progress {
  if (!io.interactive || quiet) return SILENT;
  let shown = '';
  let shownKey = '';
  return {
    step(label, done, total) {
      const percent = total > 0 ? Math.floor((100 * Math.min(done, total)) / total) : 100;
      const line = `${label} ${percent}% (${Math.min(done, total)}/${total})`;
      // Rewrite only when the whole percent changes: a loop of 20,000 VMs then writes 100 times, not 20,000.
      const key = `${label} ${percent}%`;
      if (key === shownKey) return;
      io.stderr(`\r${line.padEnd(shown.length)}`);
      shown = line;
      shownKey = key;
    },
    done() {
      if (shown === '') return;
      io.stderr(`\r${' '.repeat(shown.length)}\r`);
      shown = '';
      shownKey = '';
    },
  };
}
