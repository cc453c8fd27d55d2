/** The shape every `hyperplan` sub-command has; `cli/main.ts` dispatches to them. */
import type { ParseArgsConfig } from 'node:util';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is an interactive terminal (progress output is shown only then). */
  readonly interactive: boolean;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

export interface Command {
  readonly name: string;
  /** One line for `hyperplan --help`. */
  readonly summary: string;
  /** Usage line and option descriptions for `hyperplan <command> --help`. */
  readonly help: string;
  readonly options: OptionSpec;
  /** Returns the exit code: 0 clean, 1 findings; throws UsageError / InputError for exit 2. */
  run(args: ParsedArgs, io: Io): Promise<number>;
}
