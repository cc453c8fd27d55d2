/**
 * Turns zod issues into fleet problems with messages in one voice: what is wrong, the value received
 * (never for secret fields), and what is allowed.
 */
import type { z } from 'zod';
import type { PathProblem, PathSegment } from './problems';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

/** Fields whose values must never appear in messages. */
export function isSecretPath(path: readonly PathSegment[]): boolean {
  if (path[path.length - 1] === 'password') return true;
  return path[0] === 'stacks' && path[2] === 'backend' && path.length > 3 && path[3] !== 'type';
}

/** Short description of a received value for messages. */
export function describeValue(value: unknown, secret: boolean): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (secret) return `a ${typeof value}`;
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return String(value);
}

/** Parse-time error map: messages for issues that the schema does not word itself. */
export function issueMessage(issue: RawIssue): string | undefined {
  const path = (issue.path ?? []) as PathSegment[];
  const secret = isSecretPath(path);
  const got = describeValue(issue.input, secret);
  const key = path[path.length - 1];
  if (issue.input === undefined && typeof key === 'string' && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return `missing required key '${key}'`;
  }
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${got}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected '${String(issue.values[0])}', got ${got}`
        : `expected one of ${issue.values.map(String).join(', ')}, got ${got}`;
    case 'too_small':
      return issue.origin === 'array'
        ? 'must list at least one item'
        : issue.origin === 'string'
          ? 'must not be empty'
          : `must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}, got ${got}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}, got ${got}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return undefined;
  }
}

/** One problem per issue; unknown keys become one problem per key, located at the key. */
export function issueProblems(issue: Issue, prefix: readonly PathSegment[] = []): PathProblem[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key '${key}'`, at: 'key' as const }));
  }
  if (issue.code === 'invalid_union') {
    // A union whose input matched one branch's type reports that branch's nested issues, which say more
    // (unknown keys of a mapping are reported at the mapping, but they too say the type matched).
    const nested = issue.errors.filter((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys'));
    if (nested.length === 1 && nested[0]) return nested[0].flatMap((inner) => issueProblems(inner, path));
  }
  return [{ path, message: issue.message }];
}
