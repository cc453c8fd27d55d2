/**
 * Keeping a fleet's file references inside its repository. Fleets are untrusted input in CI (a pull
 * request writes them), so a `${file:…}`, `userData` or custom-rule path that climbs out of the
 * repository (`../../etc/passwd`, `/home/runner/.ssh/id_rsa`, or a symlink pointing there) would let the
 * pull request read the runner's files. Paths are checked after resolving symlinks; the operator widens
 * the boundary explicitly (`--allow-path DIR`, `HYPERPLAN_ALLOW_PATHS`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** Environment variable with extra directories a fleet may read from, separated like PATH. */
export const ALLOW_PATHS_ENV = 'HYPERPLAN_ALLOW_PATHS';

/** A path a fleet names that resolves outside the directories it may read. */
export class OutsideRepositoryError extends Error {
  override readonly name = 'OutsideRepositoryError';
  readonly code = 'EOUTSIDE';
}

/** Where a fleet may read files: its repository root plus what the operator allowed. */
export interface ReadBoundary {
  readonly root: string;
  readonly allowed: readonly string[];
}

/**
 * The git work tree holding `dir` (the nearest ancestor with a `.git` entry, a directory or a worktree's
 * file), else `dir` itself.
 */
export function repositoryRoot(dir: string): string {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return resolve(dir);
  }
}

/** Directories from `HYPERPLAN_ALLOW_PATHS` (empty entries ignored), resolved against `cwd`. */
export function allowedPathsFromEnv(env: Readonly<Record<string, string | undefined>>, cwd: string = process.cwd()): string[] {
  return (env[ALLOW_PATHS_ENV] ?? '')
    .split(delimiter)
    .filter((entry) => entry.trim() !== '')
    .map((entry) => resolve(cwd, entry));
}

/** The boundary of a fleet file: its repository (or folder) and the allowed extra directories. */
export function boundaryOf(fleetFile: string, allowed: readonly string[] = [], root?: string): ReadBoundary {
  return { root: root ?? repositoryRoot(dirname(resolve(fleetFile))), allowed };
}

/** The real path (symlinks resolved) of `path`, or of its nearest existing ancestor joined with the rest. */
function realPath(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(existing.slice(dirname(existing).length + 1));
    existing = dirname(existing);
  }
  return join(realpathSync(existing), ...rest);
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The absolute path of `path` (relative to `baseDir`) when it lies inside the boundary; throws
 * `OutsideRepositoryError` (naming the path as written, never reading it) when it does not.
 */
export function confinedPath(path: string, baseDir: string, boundary: ReadBoundary): string {
  const absolute = resolve(baseDir, path);
  const real = realPath(absolute);
  const roots = [boundary.root, ...boundary.allowed].map(realPath);
  if (roots.some((dir) => inside(real, dir))) return absolute;
  throw new OutsideRepositoryError(
    `'${path}' is outside the fleet's repository (${boundary.root}); fleets may only read files inside it. ` +
      `If this file is trusted, allow its directory with --allow-path DIR or ${ALLOW_PATHS_ENV}`,
  );
}
