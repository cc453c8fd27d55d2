/**
 * The lock file `hyperplan.lock.json`: the placement a previous plan chose. A new plan keeps every locked
 * placement that still passes every filter, so adding a VM never moves another.
 */
import { nameRecord } from '../fleet/name-record';
export interface Lock {
  readonly version: 1;
  /** VM name → host name. */
  readonly placements: Readonly<Record<string, string>>;
  /**
   * Libvirt UUIDs of objects that existed before hyperplan managed them (written by `import --from`), for
   * Terraform `import` blocks: VM name → domain UUID, and `network:<name>@<host>` / `pool:<name>@<host>` →
   * the UUID of that network or pool on that host (`:` and `@` never occur in fleet names, so the keys
   * cannot collide with a VM's).
   */
  readonly uuids?: Readonly<Record<string, string>>;
}

/** The `uuids` key of a network or pool on a host. */
export function lockObjectKey(kind: 'network' | 'pool', name: string, host: string): string {
  return `${kind}:${name}@${host}`;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export type LockParse = { readonly ok: true; readonly lock: Lock } | { readonly ok: false; readonly problems: readonly string[] };

/** Stable bytes: sorted keys, 2-space indent, trailing newline. */
export function serializeLock(placement: {
  readonly placements: Readonly<Record<string, string>>;
  readonly uuids?: Readonly<Record<string, string>> | undefined;
}): string {
  const sorted = (record: Readonly<Record<string, string>>): Record<string, string> => {
    const out = nameRecord<string>();
    for (const key of Object.keys(record).sort()) out[key] = record[key]!;
    return out;
  };
  const uuids = placement.uuids && Object.keys(placement.uuids).length > 0 ? { uuids: sorted(placement.uuids) } : {};
  return `${JSON.stringify({ version: 1, placements: sorted(placement.placements), ...uuids }, null, 2)}\n`;
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
    if (key !== 'version' && key !== 'placements' && key !== 'uuids') problems.push(`${file}: ${key}: unknown key (allowed: version, placements, uuids)`);
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
  const uuids = nameRecord<string>();
  const rawUuids = data['uuids'];
  if (rawUuids !== undefined && !isRecord(rawUuids)) {
    problems.push(`${file}: uuids: expected an object of VM name → libvirt UUID`);
  } else if (rawUuids !== undefined) {
    for (const [key, uuid] of Object.entries(rawUuids)) {
      if (typeof uuid === 'string' && UUID.test(uuid)) uuids[key] = uuid;
      else problems.push(`${file}: uuids.${key}: expected a libvirt UUID like 6695eb01-f6a4-8304-79aa-97f2502e193f, got ${JSON.stringify(uuid)}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, lock: { version: 1, placements: result, ...(rawUuids !== undefined ? { uuids } : {}) } };
}
