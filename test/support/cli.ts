/**
 * The `hyperplan` command run in-process, with its exit code and everything it printed: the one CLI
 * harness of the tests. The environment is only what the test passes (no HYPERPLAN_* of the shell leaks in).
 */
import type { Io } from '../../cli/command';
import { run } from '../../cli/main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly interactive?: boolean;
}

export async function cli(argv: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    interactive: options.interactive ?? false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
