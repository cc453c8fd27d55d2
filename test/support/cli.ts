/** The `hyperplan` command run in-process in `cwd`, with its exit code and everything it printed. */
import type { Io } from '../../cli/command';
import { run } from '../../cli/main';

export async function runCli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, cwd, env: {}, interactive: false };
  return { code: await run(argv, io), out, err };
}
