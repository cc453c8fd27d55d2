/**
 * How every command resolves the paths it is given: against the command's working directory (`io.cwd`),
 * never the process's, so commands agree with each other and tests can run them from anywhere.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../io/errors';
import type { Io } from './command';
import { stringOption } from './options';

/** Resolves a path as the user wrote it (absolute stays absolute, relative starts at `io.cwd`). */
export function pathResolver(io: Pick<Io, 'cwd'>): (path: string) => string {
  return (path) => resolve(io.cwd, path);
}

/** A path option of `command` (`--name FILE`), resolved against `io.cwd`, or undefined when absent. */
export function pathOption(command: string, value: unknown, name: string, io: Pick<Io, 'cwd'>): string | undefined {
  const given = stringOption(command, value, name);
  return given === undefined ? undefined : resolve(io.cwd, given);
}

/** The fleet file commands read when none is given, in their working directory. */
export const DEFAULT_FLEET = 'fleet.yaml';

/**
 * The fleet file of `command` as the user named it: the argument, else `fleet.yaml` in `io.cwd` when
 * present, else $HYPERPLAN_FLEET; a usage error when there is none.
 */
export function fleetArgument(command: string, given: string | undefined, io: Pick<Io, 'cwd' | 'env'>): string {
  const file = given ?? (existsSync(resolve(io.cwd, DEFAULT_FLEET)) ? DEFAULT_FLEET : io.env.HYPERPLAN_FLEET);
  if (file === undefined) throw new UsageError(`${command}: no fleet file given, no ${DEFAULT_FLEET} here and HYPERPLAN_FLEET is not set`);
  return file;
}

/**
 * The one fleet file a command takes as `[fleet]` (DESIGN.md: `hyperplan <command> [fleet] [options]`):
 * the positional argument, else the default of `fleetArgument`.
 */
export function onlyFleetArgument(command: string, positionals: readonly string[], io: Pick<Io, 'cwd' | 'env'>): string {
  if (positionals.length > 1) throw new UsageError(`${command}: expected exactly one fleet file, got ${positionals.length} arguments`);
  return fleetArgument(command, positionals[0], io);
}

/**
 * `[fleet] <name>` (`explain [fleet] <vm>`, `drain [fleet] <host>`): with one argument it is the name and
 * the fleet file is the default of `fleetArgument`.
 */
export function fleetAndName(command: string, what: string, positionals: readonly string[], io: Pick<Io, 'cwd' | 'env'>): { file: string; name: string } {
  if (positionals.length === 0 || positionals.length > 2) throw new UsageError(`${command}: expected a fleet file and a ${what} name`);
  const [first, second] = positionals as [string, string | undefined];
  return second === undefined ? { file: fleetArgument(command, undefined, io), name: first } : { file: first, name: second };
}
