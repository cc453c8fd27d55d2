/**
 * Import of existing libvirt objects into a fleet (pure: texts in, a fleet document, a lock and notes out).
 *
 * Two sources share every element mapping (import-domain.ts and the modules it uses):
 * - `importDomains`: domain XML files; pools and networks are inferred from what the domains reference;
 * - `importLiveHosts`: what `readLiveHost` (live-host.ts) read from each host: the host itself, its real
 *   pools, volumes and networks, and its domains pinned to it, with their UUIDs for Terraform `import`.
 * Every element and attribute is consumed into the fleet, or reported as approximated or dropped. A file,
 * host or domain that cannot be imported is reported and skipped; the rest is still returned.
 */
import { stringify } from 'yaml';
import type { FleetFileInput, HostInput, VmInput } from '../fleet/schema';
import { lockObjectKey } from '../planner/lock';
import { domainHypervisor, importDomain, type ImportedDomain } from './import-domain';
import { hostBaseName, hypervisorOfUri, importHost } from './import-host';
import { importNetwork } from './import-network';
import { importPool, indexVolumes, VolumeIndex } from './import-pool';
import { FleetObjects, guessedNetworks, guessedStorage, liveNetworks, liveStorage } from './import-resolvers';
import { NameRegistry, NoteSink, sanitizeName, type ImportDiagnostic, type ImportHypervisor, type ImportNote } from './import-support';
import type { LiveHost } from './live-host';
import { readXml, type XmlNode } from './xml-read';

export { sanitizeName, type ImportDiagnostic, type ImportHypervisor, type ImportNote } from './import-support';
export { ASSUMED_NAT_CIDR, DEFAULT_POOL_PATH } from './import-resolvers';

export interface ImportInput {
  readonly file: string;
  readonly text: string;
}

export interface ImportOptions {
  /** Overrides the hypervisor read from `<domain type>` (file import). */
  readonly hypervisor?: ImportHypervisor;
  /** Any dropped element makes its domain (or network, pool) an error, skipped like a failed file. */
  readonly strict?: boolean;
}

/** One imported object's line in the summary. */
export interface ImportSummaryRow {
  readonly target: string;
  readonly file: string;
  readonly kept: number;
  readonly approximated: number;
  readonly dropped: number;
}

/** The lock entries of an import: placements of pinned VMs and the UUIDs of adopted objects. */
export interface ImportLock {
  readonly placements: Readonly<Record<string, string>>;
  readonly uuids: Readonly<Record<string, string>>;
}

export interface ImportResult {
  /** Everything that could be imported (complete for the rest even when `failures` is not empty). */
  readonly fleet: FleetFileInput;
  readonly lock: ImportLock;
  /** Files, hosts or objects that were skipped, one located error each. */
  readonly failures: readonly ImportDiagnostic[];
  readonly notes: readonly ImportNote[];
  readonly summary: readonly ImportSummaryRow[];
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Collects what every mode produces. */
class FleetAssembly {
  readonly objects = new FleetObjects();
  readonly vmNames = new NameRegistry();
  readonly hosts: HostInput[] = [];
  readonly vms: VmInput[] = [];
  readonly failures: ImportDiagnostic[] = [];
  readonly notes: ImportNote[] = [];
  readonly summary: ImportSummaryRow[] = [];
  readonly placements: Record<string, string> = {};
  readonly uuids: Record<string, string> = {};

  constructor(readonly options: ImportOptions) {}

  /** Keeps the notes of one object; under --strict a drop turns into a failure (true: the object is kept). */
  accept(sink: NoteSink, kept: number): boolean {
    const dropped = sink.notes.filter((n) => n.status === 'dropped');
    if (this.options.strict && dropped.length > 0) {
      for (const note of dropped) this.failures.push({ file: note.file, line: note.line, severity: 'error', message: `${sink.target}: ${note.path}: ${note.message} (--strict: not imported)` });
      return false;
    }
    this.notes.push(...sink.notes);
    this.summary.push({ target: sink.target, file: sink.file, kept, approximated: sink.notes.length - dropped.length, dropped: dropped.length });
    return true;
  }

  addDomain(domain: ImportedDomain, host?: string): void {
    if (!this.accept(domain.sink, domain.kept)) return;
    this.vms.push(domain.vm);
    if (host) this.placements[domain.vm.name] = host;
    if (domain.uuid) this.uuids[domain.vm.name] = domain.uuid;
  }

  result(): ImportResult {
    return {
      fleet: {
        apiVersion: 'hyperplan/v1',
        ...(this.hosts.length > 0 ? { hosts: this.hosts } : {}),
        networks: [...this.objects.networks.values()].sort(byName),
        pools: [...this.objects.pools.values()].sort(byName),
        vms: this.vms,
      },
      lock: { placements: this.placements, uuids: this.uuids },
      failures: this.failures,
      notes: this.notes,
      summary: this.summary,
    };
  }
}

function parse(file: string, text: string, failures: ImportDiagnostic[]): XmlNode | undefined {
  const read = readXml(text);
  if (read.ok) return read.root;
  failures.push({ file, line: read.error.line, column: read.error.column, severity: 'error', message: `malformed XML: ${read.error.message}` });
  return undefined;
}

/** Imports domain XML files (in the given order, which decides name de-duplication). */
export function importDomains(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const assembly = new FleetAssembly(options);
  const sources = { storage: guessedStorage(assembly.objects), networks: guessedNetworks(assembly.objects), vmNames: assembly.vmNames };
  for (const input of inputs) {
    const root = parse(input.file, input.text, assembly.failures);
    if (!root) continue;
    const imported = importDomain(input.file, root, sources, options.hypervisor);
    if (imported.ok) assembly.addDomain(imported.domain);
    else assembly.failures.push(imported.error);
  }
  return assembly.result();
}

/** The host's hypervisor: its URI's driver, else (test driver) the kind most of its domains have. */
function liveHypervisor(host: LiveHost, roots: readonly (XmlNode | undefined)[]): ImportHypervisor {
  const fromUri = hypervisorOfUri(host.uri);
  if (fromUri) return fromUri;
  const kinds = roots.map((root) => (root ? domainHypervisor(root) : undefined));
  return kinds.filter((k) => k === 'xen').length > kinds.filter((k) => k === 'kvm').length ? 'xen' : 'kvm';
}

/** The same name with a different definition on another host: the first host's definition is kept. */
function sameDefinition<T extends { readonly name: string }>(kept: T | undefined, seen: T): boolean {
  return kept === undefined || JSON.stringify({ ...kept, name: '' }) === JSON.stringify({ ...seen, name: '' });
}

/** Imports live hosts: each host, its pools, volumes and networks, and its domains pinned to it. */
export function importLiveHosts(hosts: readonly LiveHost[], options: ImportOptions = {}): ImportResult {
  const assembly = new FleetAssembly(options);
  const hostNames = new NameRegistry();
  for (const live of hosts) {
    const hostName = hostNames.claim(sanitizeName(hostBaseName(live.uri), 'host'));
    const file = live.uri;
    // virsh lists running domains by id, then the others by name; by name, the same host gives the same fleet.
    const domains = [...live.domains].sort(byName);
    const domainRoots = domains.map((d) => parse(`${file} domain ${d.name}`, d.xml, assembly.failures));
    const hypervisor = liveHypervisor(live, domainRoots);
    const hostSink = new NoteSink(file, `hosts[${hostName}]`);
    assembly.hosts.push(importHost(hostName, live.uri, hypervisor, live.nodeInfo, live.capabilities, hostSink));
    assembly.accept(hostSink, 1);

    const poolNames = new Map<string, string>();
    const volumes = new VolumeIndex();
    for (const pool of live.pools) {
      const root = parse(`${file} pool ${pool.name}`, pool.xml, assembly.failures);
      if (!root) continue;
      const name = sanitizeName(pool.name, 'pool');
      const sink = new NoteSink(`${file} pool ${pool.name}`, `pools[${name}]`);
      const imported = importPool(root, name, sink);
      if (!imported) {
        assembly.accept(sink, 0);
        continue;
      }
      const kept = assembly.objects.pools.get(name);
      if (!sameDefinition(kept, imported.pool)) sink.approximated(root.line, '/pool', `pool '${pool.name}' is defined differently on ${hostName}; the fleet keeps the first host's definition`);
      if (!assembly.accept(sink, 1)) continue;
      assembly.objects.pool(`pool:${pool.name}`, name, () => imported.pool);
      poolNames.set(pool.name, name);
      if (imported.uuid) assembly.uuids[lockObjectKey('pool', name, hostName)] = imported.uuid;
      indexVolumes(name, pool.volumes.map((v) => ({ name: v.name, root: parse(`${file} volume ${pool.name}/${v.name}`, v.xml, []) })), volumes, sink);
    }
    const networkNames = new Map<string, string>();
    for (const network of live.networks) {
      const root = parse(`${file} network ${network.name}`, network.xml, assembly.failures);
      if (!root) continue;
      const name = sanitizeName(network.name, 'net');
      const sink = new NoteSink(`${file} network ${network.name}`, `networks[${name}]`);
      const imported = importNetwork(root, name, sink);
      if (!imported) {
        assembly.accept(sink, 0);
        continue;
      }
      if (!sameDefinition(assembly.objects.networks.get(name), imported.network)) sink.approximated(root.line, '/network', `network '${network.name}' is defined differently on ${hostName}; the fleet keeps the first host's definition`);
      if (!assembly.accept(sink, 1)) continue;
      assembly.objects.network(`network:${network.name}`, name, () => imported.network);
      networkNames.set(network.name, name);
      if (imported.uuid) assembly.uuids[lockObjectKey('network', name, hostName)] = imported.uuid;
    }

    const sources = { storage: liveStorage(poolNames, volumes), networks: liveNetworks(assembly.objects, networkNames), vmNames: assembly.vmNames };
    domains.forEach((domain, index) => {
      const root = domainRoots[index];
      if (!root) return;
      const where = `${file} domain ${domain.name}`;
      const kind = domainHypervisor(root);
      if (kind && kind !== hypervisor) {
        assembly.failures.push({ file: where, line: root.line, severity: 'error', message: `domain type '${root.attributes.type}' on ${hypervisor} host ${hostName}; a fleet host runs one hypervisor kind` });
        return;
      }
      // A domain that is shut off stays so: the provider would start it (`running` defaults to true).
      const state = { ...(domain.autostart ? {} : { autostart: false }), ...(domain.running ? {} : { running: false }) };
      const imported = importDomain(where, root, sources, hypervisor, { host: hostName, ...state });
      if (imported.ok) assembly.addDomain(imported.domain, hostName);
      else assembly.failures.push(imported.error);
    });
  }
  return assembly.result();
}

/** `file:line[:column]: warning|error: message`. */
export function formatDiagnostic(d: ImportDiagnostic): string {
  return `${d.file}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}: ${d.severity}: ${d.message}`;
}

/** The fleet document as YAML or JSON text. */
export function fleetText(fleet: FleetFileInput, format: 'yaml' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(fleet, null, 2)}\n` : stringify(fleet, { lineWidth: 0 });
}
