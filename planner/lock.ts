/**
 * The lock file `hyperplan.lock.json`: the placement a previous plan chose. A new plan keeps every locked
 * placement that still passes every filter, so adding a VM never moves another.
 */
import { nameRecord } from '../fleet/name-record';
export interface Lock {
  readonly version: 1;
  /** VM name → host name. */
  readonly placements: Readonly<Record<string, string>>;
}

export type LockParse = { readonly ok: true; readonly lock: Lock } | { readonly ok: false; readonly problems: readonly string[] };

/** Stable bytes: sorted keys, 2-space indent, trailing newline. */
export function serializeLock(placement: { readonly placements: Readonly<Record<string, string>> }): string {
  const sorted = nameRecord<string>();
  for (const vm of Object.keys(placement.placements).sort()) sorted[vm] = placement.placements[vm]!;
  return `${JSON.stringify({ version: 1, placements: sorted }, null, 2)}\n`;
}

/** `line:column` of a character offset (1-based). */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

function syntaxProblem(text: string, file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  const where = at ? position(text, Number(at[1])) : '1:1';
  return `${file}:${where}: not valid JSON: ${message}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a lock file; every problem is reported (as `file: path: message`), nothing is thrown. */
export function parseLock(text: string, file: string): LockParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(text, file, error)] };
  }
  if (!isRecord(data)) return { ok: false, problems: [`${file}: the lock file must be a JSON object with "version" and "placements"`] };
  const problems: string[] = [];
  if (data['version'] !== 1) problems.push(`${file}: version: expected 1, got ${JSON.stringify(data['version'])}`);
  for (const key of Object.keys(data)) {
    if (key !== 'version' && key !== 'placements') problems.push(`${file}: ${key}: unknown key (allowed: version, placements)`);
  }
  const placements = data['placements'];
  const result = nameRecord<string>();
  if (!isRecord(placements)) {
    problems.push(`${file}: placements: expected an object of VM name → host name`);
  } else {
    for (const [vm, host] of Object.entries(placements)) {
      if (typeof host === 'string' && host.length > 0) result[vm] = host;
      else problems.push(`${file}: placements.${vm}: expected a host name, got ${JSON.stringify(host)}`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lock: { version: 1, placements: result } };
}
