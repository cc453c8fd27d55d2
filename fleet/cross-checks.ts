/**
 * Checks that need more than one object: unique names, references between objects, and hypervisor
 * consistency. They read the parsed data loosely (a field of the wrong type is skipped; the schema
 * reports it), so a bad disk size does not hide a bad network reference in the same VM.
 */
import { imagePathFormat, PREALLOCATED_LUN_POOL_TYPES } from './effective-vm';
import type { StoragePoolType } from './model';
import type { PathProblem, PathSegment } from './problems';
import { cidrProblem, ipv4ToNumber, isIpv4 } from './ipv4';
import { STORAGE_POOL_TYPES } from './vocabulary';
import type { Section } from './schema';

/** Declared names per section, in file order: name → index of its first declaration. */
export type DeclaredNames = Readonly<Record<Section, ReadonlyMap<string, number>>>;

type Loose = Readonly<Record<string, unknown>>;

interface LooseItem {
  readonly index: number;
  readonly item: Loose;
}

type Hypervisor = 'kvm' | 'xen';

/** What a kind of object is called in messages. */
const KIND: Readonly<Record<Section, string>> = {
  hosts: 'host',
  migrationPools: 'migration pool',
  networks: 'network',
  pools: 'storage pool',
  images: 'image',
  vms: 'VM',
  stacks: 'stack',
};

/** Lists at most this many valid names, so a typo in a 1,000-host fleet gives a readable message. */
const MAX_LISTED_NAMES = 10;

function isLoose(value: unknown): value is Loose {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function itemsOf(data: Loose, section: Section): LooseItem[] {
  const items = data[section];
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown, index) => (isLoose(item) ? [{ index, item }] : []));
}

function str(item: Loose, key: string): string | undefined {
  const value = item[key];
  return typeof value === 'string' ? value : undefined;
}

function list(item: Loose, key: string): readonly unknown[] {
  const value = item[key];
  return Array.isArray(value) ? value : [];
}

/** The hypervisor an item asks for; a VM's guestType (Xen only) asks for Xen when its hypervisor is auto or absent. */
function hypervisorOf(item: Loose): Hypervisor | undefined {
  const value = item.hypervisor;
  if (value === 'kvm' || value === 'xen') return value;
  return (value === undefined || value === 'auto') && item.guestType !== undefined ? 'xen' : undefined;
}

/** Collects names and reports duplicates (at every declaration after the first). */
export function declaredNames(data: Loose): { names: DeclaredNames; problems: PathProblem[] } {
  const problems: PathProblem[] = [];
  const collect = (section: Section): Map<string, number> => {
    const names = new Map<string, number>();
    for (const { index, item } of itemsOf(data, section)) {
      const name = str(item, 'name');
      if (name === undefined) continue;
      const first = names.get(name);
      if (first === undefined) {
        names.set(name, index);
      } else {
        problems.push({ path: [section, index, 'name'], message: `duplicate ${KIND[section]} name '${name}' (first declared at ${section}[${first}])` });
      }
    }
    return names;
  };
  const names = {
    hosts: collect('hosts'),
    migrationPools: collect('migrationPools'),
    networks: collect('networks'),
    pools: collect('pools'),
    images: collect('images'),
    vms: collect('vms'),
    stacks: collect('stacks'),
  };
  return { names, problems };
}

function unknownReference(section: Section, name: string, names: DeclaredNames): string {
  const declared = [...names[section].keys()];
  if (declared.length === 0) return `unknown ${KIND[section]} '${name}'; no ${section} are declared`;
  const listed = declared.slice(0, MAX_LISTED_NAMES).join(', ');
  const more = declared.length > MAX_LISTED_NAMES ? `, … (${declared.length} in all)` : '';
  return `unknown ${KIND[section]} '${name}'; declared ${section}: ${listed}${more}`;
}

function isUnknown(section: Section, name: unknown, names: DeclaredNames): boolean {
  return typeof name === 'string' && !names[section].has(name);
}

/** A problem when `name` is a string that is not declared in `section`. */
function reference(section: Section, name: unknown, path: readonly PathSegment[], names: DeclaredNames): PathProblem[] {
  if (typeof name !== 'string' || names[section].has(name)) return [];
  return [{ path, message: unknownReference(section, name, names) }];
}

/** A disk image that is not an image name may still be a path or URL of a base image. */
function looksLikePathOrUrl(image: string): boolean {
  return image.includes('/') || image.startsWith('.');
}

/**
 * The libvirt drivers a host's URI may name: the hypervisor's own, or libvirt's test driver (`test:///default`,
 * docs/drvtest.rst: "a mock driver", which defines KVM- and Xen-type domains, networks, pools and volumes
 * without a hypervisor) for dry runs and tests; the provider v0.9.7 dials it like any local driver
 * (internal/libvirt/dialers/factory.go accepts qemu, lxc, xen, vbox and test).
 */
const URI_SCHEME: Readonly<Record<Hypervisor, RegExp>> = { kvm: /^(qemu|test)(\+[a-z0-9]+)?:\/\//, xen: /^(xen|libxl|test)(\+[a-z0-9]+)?:\/\// };

function hostProblems({ index, item: host }: LooseItem): PathProblem[] {
  const at = (...rest: PathSegment[]): PathSegment[] => ['hosts', index, ...rest];
  const hypervisor = hypervisorOf(host);
  if (hypervisor === undefined) return [];
  const problems: PathProblem[] = [];
  const uri = str(host, 'uri');
  if (uri !== undefined && !URI_SCHEME[hypervisor].test(uri)) {
    const expected = hypervisor === 'kvm' ? 'qemu:// or qemu+ssh:// (or test:// for libvirt\'s test driver)' : 'xen:// or xen+ssh:// (or test:// for libvirt\'s test driver)';
    problems.push({ path: at('uri'), message: `a ${hypervisor} host needs a ${expected} URI, got '${uri}'` });
  }
  if (hypervisor === 'xen') {
    for (const key of ['reserved', 'hugepages', 'ksm']) {
      if (host[key] !== undefined) problems.push({ path: at(key), message: `'${key}' is for KVM hosts; on a Xen host size Dom0 with 'dom0'` });
    }
  }
  if (hypervisor === 'kvm' && host.dom0 !== undefined) {
    problems.push({ path: at('dom0'), message: "'dom0' is for Xen hosts; on a KVM host use 'reserved' for the host OS" });
  }
  if (hypervisor === 'kvm' && (host.distro === 'xcp-ng' || host.distro === 'xenserver')) {
    problems.push({ path: at('distro'), message: `'${host.distro}' is a Xen distribution; a KVM host is debian or ubuntu` });
  }
  const { cpus, numaNodes } = host;
  if (typeof cpus === 'number' && typeof numaNodes === 'number' && numaNodes > cpus) {
    problems.push({ path: at('numaNodes'), message: `${numaNodes} NUMA nodes cannot share ${cpus} CPUs` });
  }
  if (typeof cpus === 'number' && Array.isArray(numaNodes)) {
    const total = numaNodes.reduce((sum: number, node: unknown) => sum + (isLoose(node) && typeof node.cpus === 'number' ? node.cpus : 0), 0);
    if (total !== cpus) problems.push({ path: at('numaNodes'), message: `the NUMA nodes have ${total} CPUs in all but the host has ${cpus}` });
  }
  return problems;
}

function dhcpProblems(network: Loose, at: (...rest: PathSegment[]) => PathSegment[]): PathProblem[] {
  const { dhcp } = network;
  if (!isLoose(dhcp)) return [];
  const cidr = str(network, 'cidr');
  if (cidr === undefined || cidrProblem(cidr) !== undefined) return [{ path: at('dhcp'), message: "'dhcp' needs the network's 'cidr'" }];
  const [address = '', prefix = '32'] = cidr.split('/');
  const base = ipv4ToNumber(address);
  const span = 2 ** (32 - Number(prefix));
  const problems: PathProblem[] = [];
  for (const key of ['start', 'end']) {
    const ip = str(dhcp, key);
    if (ip === undefined || !isIpv4(ip)) continue;
    const value = ipv4ToNumber(ip);
    if (value < base || value >= base + span) problems.push({ path: at('dhcp', key), message: `'${ip}' is outside ${cidr}` });
  }
  return problems;
}

function networkProblems({ index, item: network }: LooseItem): PathProblem[] {
  const at = (...rest: PathSegment[]): PathSegment[] => ['networks', index, ...rest];
  const problems = dhcpProblems(network, at);
  if (network.mode === 'bridge' && network.bridge === undefined) {
    problems.push({ path: at('mode'), message: "a bridge network needs 'bridge' (the host bridge, e.g. br0)" });
  }
  // libvirt sets the MTU of bridges it creates; a bridge-mode network uses the host's bridge as it is.
  if (network.mode === 'bridge' && network.mtu !== undefined) {
    problems.push({ path: at('mtu'), message: "libvirt does not allow 'mtu' on a bridge-mode network (set the MTU on the host bridge); mtu is for nat, route, isolated and open networks" });
  }
  // Only a bridge exists without a libvirt network: the other modes are what a libvirt network does.
  if (network.libvirtNetwork === false && network.mode !== 'bridge') {
    problems.push({ path: at('libvirtNetwork'), message: `a ${String(network.mode)} network is a libvirt network; libvirtNetwork: false is for mode bridge (a host bridge NICs attach to directly)` });
  }
  return problems;
}

/** RFC 3720 iSCSI names: `iqn.YYYY-MM.reversed.domain[:anything]`, `eui.` + 16 hex digits, `naa.` + 16 or 32. */
const ISCSI_NAME = /^(iqn\.\d{4}-(0[1-9]|1[0-2])\.[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:.+)?|eui\.[0-9a-f]{16}|naa\.([0-9a-f]{16}|[0-9a-f]{32}))$/i;
/** A host name or IPv4 address, with an optional port. */
const PORTAL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]))?$/i;
const ISCSI_POOL_TYPES: ReadonlySet<string> = new Set(['iscsi', 'iscsi-direct']);
const ISCSI_KEY_HINT: Readonly<Record<string, string>> = {
  portal: 'host or host:port of the iSCSI portal',
  target: 'the target IQN, e.g. iqn.2024-01.com.example:vms',
  initiator: 'the initiator IQN this host logs in with, e.g. iqn.2024-01.com.example:host1',
};

function poolTypeOf(item: Loose): StoragePoolType | undefined {
  const type = str(item, 'type');
  return (STORAGE_POOL_TYPES as readonly string[]).includes(type ?? '') ? (type as StoragePoolType) : undefined;
}

/**
 * iSCSI pools name their portal and target apart (libvirt docs/formatstorage.rst and storage.rst: the
 * portal is `<source><host name=>`, the target IQN `<source><device path=>`, the initiator IQN
 * `<source><initiator><iqn name=>`, which iscsi-direct requires); one `host:path` string cannot say
 * both, since an IQN contains colons itself.
 */
function storagePoolProblems({ index, item: pool }: LooseItem): PathProblem[] {
  const at = (...rest: PathSegment[]): PathSegment[] => ['pools', index, ...rest];
  const type = str(pool, 'type');
  if (type === undefined) return [];
  const problems: PathProblem[] = [];
  if (!ISCSI_POOL_TYPES.has(type)) {
    for (const key of ['portal', 'target', 'initiator']) {
      if (pool[key] !== undefined) problems.push({ path: at(key), message: `'${key}' is for iscsi and iscsi-direct pools; this pool is ${type}` });
    }
    return problems;
  }
  if (pool.source !== undefined) {
    problems.push({ path: at('source'), message: `an ${type} pool takes 'portal' (host or host:port) and 'target' (the target IQN) instead of 'source'` });
  }
  const required = type === 'iscsi-direct' ? ['portal', 'target', 'initiator'] : ['portal', 'target'];
  for (const key of required) {
    if (pool[key] === undefined) problems.push({ path: at('type'), message: `an ${type} pool needs '${key}' (${ISCSI_KEY_HINT[key]})` });
  }
  const portal = str(pool, 'portal');
  if (portal !== undefined && !PORTAL.test(portal)) {
    problems.push({ path: at('portal'), message: `'${portal}' is not a portal; write a host name or IPv4 address, optionally with :port (e.g. san1.example.com:3260)` });
  }
  for (const key of ['target', 'initiator']) {
    const iqn = str(pool, key);
    if (iqn !== undefined && !ISCSI_NAME.test(iqn)) {
      problems.push({ path: at(key), message: `'${iqn}' is not an iSCSI name; write an IQN such as iqn.2024-01.com.example:${key === 'target' ? 'vms' : 'host1'} (or eui./naa. form)` });
    }
  }
  return problems;
}

function migrationPoolProblems({ index, item: pool }: LooseItem, hostKinds: ReadonlyMap<string, Hypervisor>, names: DeclaredNames): PathProblem[] {
  const at = (...rest: PathSegment[]): PathSegment[] => ['migrationPools', index, ...rest];
  const problems = reference('pools', pool.sharedStorage, at('sharedStorage'), names);
  const hypervisor = hypervisorOf(pool);
  // libxl migrates with live, p2p, tunnelled, persist, undefine and paused only (src/libxl/libxl_migration.h).
  if (hypervisor === 'xen' && pool.transport === 'tls') {
    problems.push({ path: at('transport'), message: "libvirt's libxl driver has no TLS migration; use transport: tunnelled (the default on Xen) or plain" });
  }
  list(pool, 'hosts').forEach((hostName, i) => {
    problems.push(...reference('hosts', hostName, at('hosts', i), names));
    const kind = typeof hostName === 'string' ? hostKinds.get(hostName) : undefined;
    if (kind !== undefined && hypervisor !== undefined && kind !== hypervisor) {
      problems.push({ path: at('hosts', i), message: `host '${String(hostName)}' is ${kind} but the migration pool is ${hypervisor}` });
    }
  });
  return problems;
}

interface FleetFacts {
  readonly names: DeclaredNames;
  readonly hostKinds: ReadonlyMap<string, Hypervisor>;
  readonly poolKinds: ReadonlyMap<string, Hypervisor>;
  readonly poolMembers: ReadonlyMap<string, ReadonlySet<unknown>>;
  readonly zones: ReadonlySet<unknown>;
  /** Storage pool name → type. */
  readonly storageTypes: ReadonlyMap<string, StoragePoolType>;
  /** Image name → format (qcow2 when not written). */
  readonly imageFormats: ReadonlyMap<string, string>;
}

/** The format a disk's volume will have when the disk does not say: its image's, else raw in raw-only pools. */
function declaredDiskFormat(disk: Loose, facts: FleetFacts): { format: string; from: 'format' | 'image' } | undefined {
  const format = str(disk, 'format');
  if (format !== undefined) return { format, from: 'format' };
  const image = str(disk, 'image');
  if (image === undefined) return undefined;
  const named = facts.imageFormats.get(image);
  if (named !== undefined) return { format: named, from: 'image' };
  return looksLikePathOrUrl(image) ? { format: imagePathFormat(image), from: 'image' } : undefined;
}

/** Disks on pools that cannot create volumes (LUN pools) or hold raw data only (logical). */
function diskStorageProblems(disk: Loose, vmIndex: number, diskIndex: number, facts: FleetFacts): PathProblem[] {
  const pool = str(disk, 'pool');
  const type = pool === undefined ? undefined : facts.storageTypes.get(pool);
  if (type === undefined) return [];
  const lunPool = PREALLOCATED_LUN_POOL_TYPES.has(type);
  // Nothing below applies to most disks: no path for them.
  if (!lunPool && type !== 'logical' && (disk.volume === undefined || disk.image === undefined)) return [];
  const at = ['vms', vmIndex, 'disks', diskIndex];
  const problems: PathProblem[] = [];
  if (lunPool && disk.volume === undefined) {
    problems.push({
      path: [...at, 'pool'],
      message: `pool '${String(pool)}' is ${type}: its volumes are LUNs that exist on the storage side and libvirt cannot create one; name the LUN with volume: (e.g. unit:0:0:1)`,
    });
  }
  if (lunPool && disk.image !== undefined) {
    problems.push({ path: [...at, 'image'], message: `a disk on an existing LUN of ${type} pool '${String(pool)}' cannot be written from an image; put the image on the LUN beforehand and remove image:` });
  } else if (disk.volume !== undefined && disk.image !== undefined) {
    problems.push({ path: [...at, 'image'], message: `existing volume '${String(disk.volume)}' of pool '${String(pool)}' is used as it is and cannot be written from an image; remove image:` });
  }
  const declared = declaredDiskFormat(disk, facts);
  if (type === 'logical' && declared !== undefined && declared.format !== 'raw') {
    problems.push({
      path: [...at, declared.from],
      message: `pool '${String(pool)}' is logical (LVM): libvirt creates plain LVs there, which hold raw data only, but this disk is ${declared.format}` +
        (declared.from === 'image' ? ' (from its image); use a raw image' : '; set format: raw'),
    });
  }
  return problems;
}

/**
 * Problems of one VM. Paths are built only for a problem (`at` once a problem is found): this runs on
 * each of 20,000 VMs, nearly all of them fine.
 */
function vmProblems({ index, item: vm }: LooseItem, facts: FleetFacts): PathProblem[] {
  const { names } = facts;
  const at = (...rest: PathSegment[]): PathSegment[] => ['vms', index, ...rest];
  const problems: PathProblem[] = [];
  const nics = list(vm, 'networks');
  for (let i = 0; i < nics.length; i++) {
    const nic = nics[i];
    const network = isLoose(nic) ? nic.network : nic;
    if (isUnknown('networks', network, names)) problems.push(...reference('networks', network, isLoose(nic) ? at('networks', i, 'network') : at('networks', i), names));
  }
  const disks = list(vm, 'disks');
  for (let i = 0; i < disks.length; i++) {
    const disk = disks[i];
    if (!isLoose(disk)) continue;
    if (isUnknown('pools', disk.pool, names)) problems.push(...reference('pools', disk.pool, at('disks', i, 'pool'), names));
    problems.push(...diskStorageProblems(disk, index, i, facts));
    const image = str(disk, 'image');
    if (image !== undefined && !names.images.has(image) && !looksLikePathOrUrl(image)) {
      problems.push({ path: at('disks', i, 'image'), message: `${unknownReference('images', image, names)} (or give a path or URL)` });
    }
  }
  const osDisk = disks[0];
  const osPool = isLoose(osDisk) ? str(osDisk, 'pool') : undefined;
  const osPoolType = osPool === undefined ? undefined : facts.storageTypes.get(osPool);
  if (vm.cloudInit !== undefined && isLoose(osDisk) && osPool === undefined) {
    problems.push({ path: at('cloudInit'), message: "the cloud-init seed is a volume in the OS disk's pool, and the first disk is in no pool; put the first disk in a pool" });
  }
  if (vm.cloudInit !== undefined && osPoolType !== undefined && PREALLOCATED_LUN_POOL_TYPES.has(osPoolType)) {
    problems.push({ path: at('cloudInit'), message: `the cloud-init seed is a volume in the OS disk's pool, and ${osPoolType} pool '${String(osPool)}' cannot create one; put the first disk in a pool where volumes can be created` });
  }
  const hypervisor = hypervisorOf(vm);
  const vmKind = vm.hypervisor === hypervisor ? String(hypervisor) : `${String(hypervisor)} (guestType ${String(vm.guestType)} is Xen only)`;
  if (hypervisor === 'kvm' && vm.guestType !== undefined) {
    problems.push({ path: at('guestType'), message: "'guestType' is for Xen guests; remove it or set hypervisor: xen" });
  }
  if (vm.secureBoot === true && vm.firmware !== 'uefi') {
    problems.push({ path: at('secureBoot'), message: 'secureBoot needs firmware: uefi' });
  }
  const host = str(vm, 'host');
  const pool = str(vm, 'migrationPool');
  if (isUnknown('hosts', host, names)) problems.push(...reference('hosts', host, at('host'), names));
  if (isUnknown('migrationPools', pool, names)) problems.push(...reference('migrationPools', pool, at('migrationPool'), names));
  const hostKind = host === undefined ? undefined : facts.hostKinds.get(host);
  if (hostKind !== undefined && hypervisor !== undefined && hostKind !== hypervisor) {
    problems.push({ path: at('host'), message: `host '${String(host)}' is ${hostKind} but the VM is ${vmKind}` });
  }
  const poolKind = pool === undefined ? undefined : facts.poolKinds.get(pool);
  if (poolKind !== undefined && hypervisor !== undefined && poolKind !== hypervisor) {
    problems.push({ path: at('migrationPool'), message: `migration pool '${String(pool)}' is ${poolKind} but the VM is ${vmKind}` });
  }
  const members = pool === undefined ? undefined : facts.poolMembers.get(pool);
  if (members !== undefined && host !== undefined && names.hosts.has(host) && !members.has(host)) {
    problems.push({ path: at('host'), message: `host '${host}' is not in the VM's migration pool '${String(pool)}'` });
  }
  if (vm.zone !== undefined && typeof vm.zone === 'string' && !facts.zones.has(vm.zone)) {
    problems.push({ path: at('zone'), message: `no host is in zone '${vm.zone}'` });
  }
  return problems;
}

function stackProblems(stacks: readonly LooseItem[], names: DeclaredNames): PathProblem[] {
  const problems: PathProblem[] = [];
  const owner = new Map<string, string>();
  for (const { index, item: stack } of stacks) {
    const stackName = str(stack, 'name') ?? `stacks[${index}]`;
    list(stack, 'hosts').forEach((hostName, i) => {
      const path = ['stacks', index, 'hosts', i];
      problems.push(...reference('hosts', hostName, path, names));
      if (typeof hostName !== 'string') return;
      const previous = owner.get(hostName);
      if (previous !== undefined && previous !== stackName) {
        problems.push({ path, message: `host '${hostName}' is already in stack '${previous}'; a host belongs to at most one stack` });
      }
      if (previous === undefined) owner.set(hostName, stackName);
    });
  }
  return problems;
}

function kindsByName(items: readonly LooseItem[]): Map<string, Hypervisor> {
  const kinds = new Map<string, Hypervisor>();
  for (const { item } of items) {
    const name = str(item, 'name');
    const kind = hypervisorOf(item);
    if (name !== undefined && kind !== undefined && !kinds.has(name)) kinds.set(name, kind);
  }
  return kinds;
}

/** Duplicate names and every cross-object problem of the fleet data. */
export function crossCheckProblems(data: Loose): PathProblem[] {
  const { names, problems } = declaredNames(data);
  const hosts = itemsOf(data, 'hosts');
  const migrationPools = itemsOf(data, 'migrationPools');
  const facts: FleetFacts = {
    names,
    hostKinds: kindsByName(hosts),
    poolKinds: kindsByName(migrationPools),
    poolMembers: new Map(migrationPools.flatMap(({ item }) => {
      const name = str(item, 'name');
      return name === undefined ? [] : [[name, new Set(list(item, 'hosts'))] as const];
    })),
    zones: new Set(hosts.map(({ item }) => item.zone)),
    storageTypes: new Map(itemsOf(data, 'pools').flatMap(({ item }) => {
      const name = str(item, 'name');
      const type = poolTypeOf(item);
      return name === undefined || type === undefined ? [] : [[name, type] as const];
    })),
    imageFormats: new Map(itemsOf(data, 'images').flatMap(({ item }) => {
      const name = str(item, 'name');
      return name === undefined ? [] : [[name, str(item, 'format') ?? 'qcow2'] as const];
    })),
  };
  return [
    ...problems,
    ...hosts.flatMap(hostProblems),
    ...itemsOf(data, 'networks').flatMap(networkProblems),
    ...itemsOf(data, 'pools').flatMap(storagePoolProblems),
    ...itemsOf(data, 'images').flatMap(({ index, item }) => reference('pools', item.pool, ['images', index, 'pool'], names)),
    ...migrationPools.flatMap((pool) => migrationPoolProblems(pool, facts.hostKinds, names)),
    ...itemsOf(data, 'vms').flatMap((vm) => vmProblems(vm, facts)),
    ...stackProblems(itemsOf(data, 'stacks'), names),
  ];
}
