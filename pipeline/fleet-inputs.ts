/**
 * The inputs every command reads beside a fleet file: the fleet itself, the placement lock, the policy
 * file and the fingerprint key. Read here, at the I/O edge; the planner and the policy engine take them as data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { formatProblem, loadFleet } from '../fleet/index';
import { allowedPathsFromEnv, boundaryOf } from '../fleet/confine';
import type { Fleet } from '../fleet/model';
import { parseLock, type Lock } from '../planner/index';
import type { PolicyConfig } from '../policies/config';
import { FINGERPRINT_KEY_ENV, MIN_FINGERPRINT_KEY_LENGTH } from '../constructs/secret-variables';
import { InputError } from '../io/errors';
import { loadPolicyFor } from './load-policy';

export const LOCK_FILE_NAME = 'hyperplan.lock.json';

/** Loads the fleet, or throws every located problem as bad input. */
export function loadFleetOrThrow(file: string, cwd: string, env: Readonly<Record<string, string | undefined>>): Fleet {
  // Messages and finding locations name the file as the user wrote it (relative stays relative).
  // `relative` gives '' for the working directory itself ('.'), which would leave messages without a file name.
  const path = isAbsolute(file) ? file : relative(process.cwd(), resolve(cwd, file)) || '.';
  const loaded = loadFleet(path, { env });
  if (!loaded.ok) throw new InputError(loaded.problems.map(formatProblem));
  return loaded.fleet;
}

/** `lockFile` when given, else `hyperplan.lock.json` beside the fleet file. */
export function lockFileFor(fleetFile: string, lockFile?: string): string {
  return lockFile ?? join(dirname(fleetFile), LOCK_FILE_NAME);
}

/** How `readLock` treats a lock file that does not exist. */
export interface ReadLockOptions {
  /**
   * A named lock file may be missing: the plan starts fresh (`plan --lock FILE --write-lock` creates it).
   * @default false - a named lock file that does not exist is bad input
   */
  readonly missingIsFresh?: boolean;
}

/**
 * The lock to keep: `lockFile` when given (it must exist unless `missingIsFresh`), else the default beside
 * the fleet when there is one (a missing default means a fresh plan). A malformed lock is bad input.
 */
export function readLock(fleetFile: string, lockFile?: string, options: ReadLockOptions = {}): Lock | undefined {
  const file = lockFileFor(fleetFile, lockFile);
  if (!existsSync(file)) {
    if (lockFile !== undefined && options.missingIsFresh !== true) throw new InputError([`${file}: lock file not found`]);
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

/**
 * The fingerprint key from `env` (HYPERPLAN_FINGERPRINT_KEY), or undefined when unset or empty; a key
 * too short to resist guessing is bad input.
 */
export function fingerprintKeyFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const key = env[FINGERPRINT_KEY_ENV];
  if (key === undefined || key === '') return undefined;
  if (key.length < MIN_FINGERPRINT_KEY_LENGTH) {
    throw new InputError([
      `${FINGERPRINT_KEY_ENV} is ${key.length} characters long; ` +
        `use a random key of at least ${MIN_FINGERPRINT_KEY_LENGTH} (e.g. openssl rand -hex 32)`,
    ]);
  }
  return key;
}
