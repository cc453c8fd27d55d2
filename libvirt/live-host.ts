/**
 * Reading a live libvirt host through `virsh -c <uri>`: its domains, networks, pools and volumes (as the
 * XML libvirt reports), which domains run and autostart, and the host's size (`nodeinfo`, `capabilities`).
 *
 * `virsh` runs through execFile (no shell: a URI or a name is never interpreted), with a timeout, and every
 * failure is a `VirshError` that names the URI and the virsh command, so a caller can report it located and
 * go on with the other hosts. Used by `hyperplan import --from` and by anything else that needs to know what
 * runs where (reconcile, live moves).
 */
import { execFile } from 'node:child_process';

/** How `virsh` is run. */
export interface VirshOptions {
  /** The virsh binary. @default 'virsh' (from PATH) */
  readonly virsh?: string;
  /** Per call. @default VIRSH_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Calls in flight at once per host. @default VIRSH_PARALLEL_CALLS */
  readonly parallel?: number;
}

/**
 * A remote host over SSH answers a call in well under a second; 60 s leaves room for a slow link or a host
 * with thousands of volumes while still ending a hung connection (virsh itself has no overall timeout).
 */
export const VIRSH_TIMEOUT_MS = 60_000;
/** A few calls at once hide the round trip to a remote host without piling connections onto its daemon. */
export const VIRSH_PARALLEL_CALLS = 4;
/** `dumpxml` of a large domain or a `capabilities` document stays far below this. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** A virsh call that failed: which URI, which command, and virsh's own message. */
export class VirshError extends Error {
  constructor(
    readonly uri: string,
    readonly command: readonly string[],
    readonly detail: string,
  ) {
    super(`${uri}: virsh ${command.join(' ')}: ${detail}`);
    this.name = 'VirshError';
  }
}

/** Runs `virsh -c uri …args` and returns its standard output. */
export function runVirsh(uri: string, args: readonly string[], options: VirshOptions = {}): Promise<string> {
  const binary = options.virsh ?? 'virsh';
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ['-c', uri, ...args],
      { timeout: options.timeoutMs ?? VIRSH_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const killed = (error as { killed?: boolean }).killed === true;
        const message = killed
          ? `no answer within ${Math.round((options.timeoutMs ?? VIRSH_TIMEOUT_MS) / 1000)} s (timed out)`
          : (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `cannot run '${binary}': not installed or not on PATH`
            : stderr.trim().split('\n').filter((l) => l.trim() !== '').join('; ') || error.message;
        reject(new VirshError(uri, args, message));
      },
    );
  });
}

/** The host's size as `virsh nodeinfo` reports it. */
export interface NodeInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly threadsPerCore: number;
  readonly numaCells: number;
  readonly memoryKiB: number;
}

export interface LiveDomain {
  readonly name: string;
  readonly xml: string;
  readonly running: boolean;
  readonly autostart: boolean;
}

export interface LiveNetwork {
  readonly name: string;
  readonly xml: string;
  readonly active: boolean;
  readonly autostart: boolean;
}

export interface LiveVolume {
  readonly name: string;
  readonly xml: string;
}

export interface LivePool {
  readonly name: string;
  readonly xml: string;
  readonly active: boolean;
  readonly autostart: boolean;
  /** Empty for an inactive pool: libvirt lists the volumes of active pools only. */
  readonly volumes: readonly LiveVolume[];
}

/** Everything `import --from` reads from one host. */
export interface LiveHost {
  readonly uri: string;
  readonly nodeInfo: NodeInfo;
  /** `virsh capabilities` XML (host CPU model and vendor, NUMA cells with their memory and CPUs). */
  readonly capabilities: string;
  readonly domains: readonly LiveDomain[];
  readonly networks: readonly LiveNetwork[];
  readonly pools: readonly LivePool[];
}

/** Where a domain is: by name, with its UUID and whether it runs (what reconcile needs). */
export interface LiveDomainRef {
  readonly name: string;
  readonly uuid: string;
  readonly running: boolean;
}

/** Lines of a `--name` / `--uuid` listing. */
function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** `virsh nodeinfo` text → numbers (labels as libvirt prints them in the C locale, tools/virsh-host.c). */
export function parseNodeInfo(text: string, uri = ''): NodeInfo {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const number = (label: string): number => {
    const value = Number.parseInt(fields.get(label) ?? '', 10);
    if (!Number.isFinite(value)) throw new VirshError(uri, ['nodeinfo'], `no '${label}' in the output`);
    return value;
  };
  return {
    cpuModel: fields.get('CPU model') ?? '',
    cpus: number('CPU(s)'),
    sockets: number('CPU socket(s)'),
    coresPerSocket: number('Core(s) per socket'),
    threadsPerCore: number('Thread(s) per core'),
    numaCells: number('NUMA cell(s)'),
    memoryKiB: number('Memory size'),
  };
}

/**
 * Volume names from a `vol-list` table. vol-list has no `--name`; its Name column is padded to the width
 * of the longest name, so the Path header's offset splits each row even when a name contains spaces.
 */
export function parseVolumeList(text: string): string[] {
  const rows = text.split('\n').filter((l) => l.trim() !== '');
  const header = rows.findIndex((l) => /^\s*Name\s+Path\s*$/.test(l));
  if (header < 0) return rows.map((l) => l.trim().split(/\s{2,}/)[0]!).filter((n) => n !== '');
  const pathAt = rows[header]!.indexOf('Path');
  return rows
    .slice(header + 1)
    .filter((l) => !/^-+$/.test(l.trim()))
    .map((l) => l.slice(0, pathAt).trim())
    .filter((n) => n !== '');
}

/** Runs `tasks` with at most `limit` in flight; results in input order. */
async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Every domain of the host with its UUID and run state (two listings, no XML). */
export async function listDomains(uri: string, options: VirshOptions = {}): Promise<LiveDomainRef[]> {
  const [all, running] = await Promise.all([
    runVirsh(uri, ['list', '--all', '--uuid', '--name'], options),
    runVirsh(uri, ['list', '--state-running', '--name'], options),
  ]);
  const active = new Set(lines(running));
  return lines(all).map((line) => {
    const [uuid = '', ...name] = line.split(/\s+/);
    return { uuid, name: name.join(' '), running: active.has(name.join(' ')) };
  });
}

/** Reads everything `import --from` needs from one host. */
export async function readLiveHost(uri: string, options: VirshOptions = {}): Promise<LiveHost> {
  const parallel = options.parallel ?? VIRSH_PARALLEL_CALLS;
  const virsh = (args: readonly string[]): Promise<string> => runVirsh(uri, args, options);
  const [nodeinfo, capabilities, domainNames, runningNames, autostartDomains, networkNames, activeNetworks, autostartNetworks, poolNames, activePools, autostartPools] =
    await Promise.all([
      virsh(['nodeinfo']),
      virsh(['capabilities']),
      virsh(['list', '--all', '--name']),
      virsh(['list', '--state-running', '--name']),
      virsh(['list', '--all', '--autostart', '--name']),
      virsh(['net-list', '--all', '--name']),
      virsh(['net-list', '--name']),
      virsh(['net-list', '--all', '--autostart', '--name']),
      virsh(['pool-list', '--all', '--name']),
      virsh(['pool-list', '--name']),
      virsh(['pool-list', '--all', '--autostart', '--name']),
    ]);
  const running = new Set(lines(runningNames));
  const domainAutostart = new Set(lines(autostartDomains));
  const networksActive = new Set(lines(activeNetworks));
  const networksAutostart = new Set(lines(autostartNetworks));
  const poolsActive = new Set(lines(activePools));
  const poolsAutostart = new Set(lines(autostartPools));
  const domains = await inBatches(lines(domainNames), parallel, async (name) => ({
    name,
    xml: await virsh(['dumpxml', '--', name]),
    running: running.has(name),
    autostart: domainAutostart.has(name),
  }));
  const networks = await inBatches(lines(networkNames), parallel, async (name) => ({
    name,
    xml: await virsh(['net-dumpxml', '--', name]),
    active: networksActive.has(name),
    autostart: networksAutostart.has(name),
  }));
  const pools = await inBatches(lines(poolNames), parallel, async (name) => {
    const active = poolsActive.has(name);
    const xml = await virsh(['pool-dumpxml', '--', name]);
    const volumeNames = active ? parseVolumeList(await virsh(['vol-list', '--pool', name])) : [];
    const volumes = await inBatches(volumeNames, parallel, async (volume) => ({
      name: volume,
      xml: await virsh(['vol-dumpxml', '--pool', name, '--', volume]),
    }));
    return { name, xml, active, autostart: poolsAutostart.has(name), volumes };
  });
  return { uri, nodeInfo: parseNodeInfo(nodeinfo, uri), capabilities, domains, networks, pools };
}
