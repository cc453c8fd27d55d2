/** Problems found in a fleet: where they are (file, line, column, path) and what is wrong. */

export type PathSegment = string | number;

/** A problem before it has a position: a path into the fleet data and a message. */
export interface PathProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** Point at the key instead of the value (unknown keys). */
  readonly at?: 'key';
}

/** A located problem; `path` uses indices, e.g. `hosts[3].dom0.memory` (empty for the whole file). */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

/** `hosts[3].dom0.memory` from `['hosts', 3, 'dom0', 'memory']`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** `file:line:column: path: message` (the path is left out for problems of the whole file). */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path === '' ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
}

/** Sorted by line, then column, then path, without exact duplicates. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}
