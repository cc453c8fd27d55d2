/** Loading a fleet file: YAML (or JSON) text → validated `Fleet`, or every problem with its position. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Fleet } from './model';
import { formatPath, sortProblems } from './problems';
import type { Problem } from './problems';
import { errorCode } from './secret-refs';
import { allowedPathsFromEnv, boundaryOf, confinedPath } from './confine';
import { validateFleetData } from './validate';
import { fastLocations, fastParse } from './fast-yaml';
import { collectLocations, locatePath, parseYaml, syntaxProblems } from './yaml-source';
import type { YamlSource } from './yaml-source';

export interface LoadOptions {
  /** Environment for `${env:NAME}` secrets. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Reads a file by path (the fleet file, cloud-init files, secret files). @default fs.readFileSync as UTF-8 */
  readonly readFile?: (path: string) => string;
  /**
   * Parse with js-yaml first (see fast-yaml.ts): `auto` for files of FAST_PATH_MIN_BYTES or more.
   * Problems are always located by the precise `yaml` path. @default auto
   */
  readonly fastPath?: 'auto' | 'always' | 'never';
  /**
   * The fleet's repository: files the fleet names must resolve inside it (or inside `allowPaths`).
   * @default - the git work tree holding the fleet file, else the fleet file's folder
   */
  readonly root?: string;
  /** More directories the fleet may read from. @default - HYPERPLAN_ALLOW_PATHS of `env` */
  readonly allowPaths?: readonly string[];
}

/** Below this size the precise parse takes milliseconds; above it the fast path pays off. */
export const FAST_PATH_MIN_BYTES = 256 * 1024;

export type LoadResult = { readonly ok: true; readonly fleet: Fleet } | { readonly ok: false; readonly problems: readonly Problem[] };

const EMPTY_FILE = "the fleet file is empty; it must be a mapping that starts with 'apiVersion: hyperplan/v1'";

function defaultReadFile(path: string): string {
  return readFileSync(path, 'utf8');
}

function failure(file: string, message: string): LoadResult {
  return { ok: false, problems: [{ file, line: 1, column: 1, path: '', message }] };
}

function useFastPath(text: string, options: LoadOptions): boolean {
  const mode = options.fastPath ?? 'auto';
  return mode === 'always' || (mode === 'auto' && text.length >= FAST_PATH_MIN_BYTES);
}

function load(text: string, file: string, options: LoadOptions): LoadResult {
  const readFile = options.readFile ?? defaultReadFile;
  const baseDir = dirname(resolve(file));
  const env = options.env ?? process.env;
  const boundary = boundaryOf(file, options.allowPaths ?? allowedPathsFromEnv(env), options.root);
  const inputs = { env, readRelative: (path: string) => readFile(confinedPath(path, baseDir, boundary)) };
  const fast = useFastPath(text, options) ? fastParse(text) : undefined;
  if (fast) {
    const result = validateFleetData(fast.data, inputs);
    if (result.ok) return { ok: true, fleet: { ...result.fleet, file, locations: fastLocations(fast, text, file) } };
  }
  const source = parseYaml(text);
  if (source.document.contents === null && source.document.errors.length === 0) return failure(file, EMPTY_FILE);
  const problems: Problem[] = syntaxProblems(source, text).map((p) => ({ file, path: '', ...p }));
  const result = validateFleetData(dataOf(source), inputs);
  if (!result.ok) {
    for (const problem of result.problems) {
      problems.push({ file, ...locatePath(source, problem.path, problem.at), path: formatPath(problem.path), message: problem.message });
    }
  }
  if (problems.length > 0 || !result.ok) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, fleet: { ...result.fleet, file, locations: collectLocations(source, file) } };
}

function dataOf(source: YamlSource): unknown {
  return source.document.toJS({ maxAliasCount: 1000 });
}

/** Loads fleet text that came from `file` (used in messages and to resolve relative paths). Never throws. */
export function loadFleetFromString(text: string, file: string, options: LoadOptions = {}): LoadResult {
  try {
    return load(text, file, options);
  } catch (error) {
    return failure(file, `cannot load the fleet: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads and loads a fleet file. Never throws. */
export function loadFleet(file: string, options: LoadOptions = {}): LoadResult {
  let text: string;
  try {
    text = (options.readFile ?? defaultReadFile)(file);
  } catch (error) {
    return failure(file, `cannot read the fleet file (${errorCode(error)})`);
  }
  return loadFleetFromString(text, file, options);
}
