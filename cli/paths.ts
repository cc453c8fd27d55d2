/**
 * How every command resolves the paths it is given: against the command's working directory (`io.cwd`),
 * never the process's, so commands agree with each other and tests can run them from anywhere.
 */
import { resolve } from 'node:path';
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
