/** The `hyperplan` command: argument parsing, dispatch, and the one place errors become exit codes. */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { ALLOW_PATHS_ENV } from '../fleet/confine';
import { commands } from './commands/index';
import { EXIT_BAD_INPUT, InputError, UsageError } from '../io/errors';
import type { Command, Io } from './command';
import { pathResolver } from './paths';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function topLevelHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: hyperplan <command> [fleet] [options]',
    '',
    'Describe a KVM, Xen or hybrid fleet once; place VMs, check KVM/Xen policies, synthesize Terraform.',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help        show help (also: hyperplan <command> --help)',
    '  -v, --version     print the version',
    '  --allow-path DIR  let the fleet read files from DIR too (any command, repeatable; also',
    `                    ${ALLOW_PATHS_ENV}); by default a fleet reads only inside its git work tree`,
    '',
    'Exit codes: 0 clean, 1 policy errors or unplaceable VMs, 2 bad input or usage.',
    '',
  ].join('\n');
}

/**
 * `--allow-path DIR` (any command, repeatable): directories outside the fleet's repository its files may
 * come from. Taken out of the arguments and added to HYPERPLAN_ALLOW_PATHS, which every loader reads.
 */
function withAllowedPaths(args: readonly string[], io: Io): { args: string[]; io: Io } {
  const rest: string[] = [];
  const allowed: string[] = [];
  const resolve = pathResolver(io);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--allow-path') {
      const dir = args[i + 1];
      if (dir === undefined || dir.startsWith('--')) throw new UsageError("--allow-path needs a directory, e.g. --allow-path /srv/secrets");
      allowed.push(resolve(dir));
      i += 1;
    } else if (arg.startsWith('--allow-path=')) {
      allowed.push(resolve(arg.slice('--allow-path='.length)));
    } else {
      rest.push(arg);
    }
  }
  if (allowed.length === 0) return { args: rest, io };
  const joined = [io.env[ALLOW_PATHS_ENV], ...allowed].filter((d) => d !== undefined && d !== '').join(delimiter);
  return { args: rest, io: { ...io, env: { ...io.env, [ALLOW_PATHS_ENV]: joined } } };
}

async function dispatch(argv: readonly string[], givenIo: Io): Promise<number> {
  const [name, ...given] = argv;
  const { args: rest, io } = withAllowedPaths(given, givenIo);
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(topLevelHelp());
    return 0;
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(`unknown command '${name}'; run 'hyperplan --help' for the list`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command.name}: ${(error as Error).message}; run 'hyperplan ${command.name} --help'`);
  }
  return command.run({ positionals: parsed.positionals, values: parsed.values }, io);
}

/** Runs the CLI and returns the exit code; never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`hyperplan: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof InputError) {
      io.stderr(`${error.problems.join('\n')}\n`);
      return EXIT_BAD_INPUT;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`hyperplan: internal error (this is a bug, please report it):\n${detail}\n`);
    return 70;
  }
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
  };
}
