/**
 * The inputs every command reads beside a fleet file: the fleet itself, the placement lock and the
 * policy file. Read here, at the I/O edge; the planner and the policy engine take them as data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { formatProblem, loadFleet } from '../fleet/index';
import { allowedPathsFromEnv, boundaryOf } from '../fleet/confine';
import type { Fleet } from '../fleet/model';
import { parseLock, type Lock } from '../planner/index';
import type { PolicyConfig } from '../policies/config';
import { loadPolicyFor } from '../policies/load-policy';
import { InputError } from '../io/errors';
import { stringOption } from './options';

export const LOCK_FILE_NAME = 'hyperplan.lock.json';

/** Loads the fleet, or throws every located problem as bad input. */
export function loadFleetOrThrow(file: string, cwd: string, env: Readonly<Record<string, string | undefined>>): Fleet {
  // Messages and finding locations name the file as the user wrote it (relative stays relative).
  const path = isAbsolute(file) ? file : relative(process.cwd(), resolve(cwd, file));
  const loaded = loadFleet(path, { env });
  if (!loaded.ok) throw new InputError(loaded.problems.map(formatProblem));
  return loaded.fleet;
}

/** The `--lock` option of `command`, resolved against `cwd`. */
export function lockOption(command: string, value: unknown, cwd: string): string | undefined {
  const given = stringOption(command, value, 'lock');
  return given === undefined ? undefined : resolve(cwd, given);
}

/** `lockFile` when given, else `hyperplan.lock.json` beside the fleet file. */
export function lockFileFor(fleetFile: string, lockFile?: string): string {
  return lockFile ?? join(dirname(fleetFile), LOCK_FILE_NAME);
}

/**
 * The lock to keep: `lockFile` when given (it must exist), else the default beside the fleet when there
 * is one (a missing default means a fresh plan). A malformed lock is bad input.
 */
export function readLock(fleetFile: string, lockFile?: string): Lock | undefined {
  const file = lockFileFor(fleetFile, lockFile);
  if (!existsSync(file)) {
    if (lockFile !== undefined) throw new InputError([`${file}: lock file not found`]);
    return undefined;
  }
  const parsed = parseLock(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new InputError(parsed.problems);
  return parsed.lock;
}

/**
 * The policy: `policyFile` when given (it must exist), else `hyperplan.policy.yaml` beside the fleet, else
 * the defaults. Custom rules it names must lie inside the fleet's repository (`root`, default: the git work
 * tree of the fleet) or a directory allowed by HYPERPLAN_ALLOW_PATHS in `env`.
 */
export async function readPolicy(
  fleetFile: string,
  policyFile?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  root?: string,
): Promise<PolicyConfig> {
  const loaded = await loadPolicyFor(fleetFile, policyFile, { boundary: boundaryOf(fleetFile, allowedPathsFromEnv(env), root) });
  if (!loaded.ok) throw new InputError(loaded.problems);
  return loaded.config;
}
