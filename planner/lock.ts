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
   * Libvirt UUIDs as observed on the hosts (`import --from`, `reconcile --from`): VM name → domain UUID,
   * and `network:<name>@<host>` / `pool:<name>@<host>` → the UUID of that network or pool on that host
   * (`:` and `@` never occur in fleet names, so the keys cannot collide with a VM's). Provider 0.9.7
   * cannot set a domain's UUID (schema: `libvirt_domain.uuid` is computed), so it is known only once
   * libvirt created the domain; adoption imports by it, and migrate.sh names it. @default - no UUID known
   */
  readonly uuids?: Readonly<Record<string, string>>;
}

/** The `uuids` key of a network or pool on a host. */
export function lockObjectKey(kind: 'network' | 'pool', name: string, host: string): string {
  return `${kind}:${name}@${host}`;
}

export type LockParse = { readonly ok: true; readonly lock: Lock } | { readonly ok: false; readonly problems: readonly string[] };

/** libvirt's UUID form (RFC 4122 text: 8-4-4-4-12 hex digits), as `virsh domuuid` prints it. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sortedRecord(record: Readonly<Record<string, string>>, keep: (key: string) => boolean = () => true): Record<string, string> {
  const sorted = nameRecord<string>();
  for (const key of Object.keys(record).sort()) if (keep(key)) sorted[key] = record[key]!;
  return sorted;
}

/**
 * Stable bytes: sorted keys, 2-space indent, trailing newline. UUIDs are kept for the VMs still placed
 * (a removed VM's UUID goes with it) and for networks and pools; `uuids` is left out when there is none, so a lock without UUIDs
 * keeps its bytes.
 */
export function serializeLock(placement: { readonly placements: Readonly<Record<string, string>> }, uuids: Readonly<Record<string, string>> = {}): string {
  const placements = sortedRecord(placement.placements);
  const kept = sortedRecord(uuids, (key) => key.includes(':') || placements[key] !== undefined);
  const lock = Object.keys(kept).length > 0 ? { version: 1, placements, uuids: kept } : { version: 1, placements };
  return `${JSON.stringify(lock, null, 2)}\n`;
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
    problems.push(`${file}: uuids: expected an object of VM name (or network:/pool:<name>@<host>) → libvirt UUID`);
  } else if (rawUuids !== undefined) {
    for (const [vm, uuid] of Object.entries(rawUuids)) {
      if (typeof uuid === 'string' && UUID_PATTERN.test(uuid)) uuids[vm] = uuid;
      else problems.push(`${file}: uuids.${vm}: expected a domain UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0, got ${JSON.stringify(uuid)}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, lock: { version: 1, placements: result, ...(rawUuids !== undefined ? { uuids } : {}) } };
}
