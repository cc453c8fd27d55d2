/**
 * Parsed file → typed `Fleet`: sizes to MiB, defaults applied, NUMA counts split, list shorthands
 * expanded. Reading referenced files and secrets goes through `ExternalInputs`, so this stays free of I/O.
 */
import type {
  CloudInit, Disk, FleetDefaults, Graphics, Host, HostReservation, Hypervisor, HypervisorDefaults, Image, MigrationPool, MigrationTransport, Network,
  NumaNode, Overcommit, StackBackend, StackSpec, StoragePool, StoragePoolType, Vm, VmNic,
} from './model';
import type { Secret } from './secret';
import type { PathSegment } from './problems';
import type { RawDefaults, RawDisk, RawHost, RawImage, RawMigrationPool, RawNetwork, RawNic, RawStack, RawStoragePool, RawVm } from './schema';
import { sizeToKiB, sizeToMiB } from './sizes';
import { looksLikeSecretReference } from './secret-refs';

export interface Indexed<T> {
  readonly index: number;
  readonly item: T;
}

/** The items of each section that passed the schema, with their index in the file. */
export interface ValidItems {
  readonly hosts: readonly Indexed<RawHost>[];
  readonly migrationPools: readonly Indexed<RawMigrationPool>[];
  readonly networks: readonly Indexed<RawNetwork>[];
  readonly pools: readonly Indexed<RawStoragePool>[];
  readonly images: readonly Indexed<RawImage>[];
  readonly vms: readonly Indexed<RawVm>[];
  readonly stacks: readonly Indexed<RawStack>[];
}

/** Files and secrets the fleet refers to; failures are recorded by the implementation. */
export interface ExternalInputs {
  /** A secret field's value (reference or plain text). */
  secret(value: string, path: readonly PathSegment[]): Secret;
  /** Contents of a file given relative to the fleet file. */
  file(path: string, at: readonly PathSegment[]): string;
}

/** Used when neither the host nor `defaults` says: vCPUs 4:1 is the common KVM/Xen sizing guidance; memory is never overcommitted by default. */
export const DEFAULT_OVERCOMMIT: Overcommit = { cpu: 4, memory: 1 };

/** Pool types whose data every host reaches the same way (network or cluster storage). */
export const SHARED_POOL_TYPES: ReadonlySet<StoragePoolType> = new Set<StoragePoolType>(['netfs', 'rbd', 'gluster', 'iscsi', 'iscsi-direct', 'vstorage']);

export const DEFAULT_GRAPHICS_LISTEN = '127.0.0.1';

/** Backend path of a stack that declares none (one state file per stack). */
export function defaultStatePath(stack: string): string {
  return `terraform.${stack}.tfstate`;
}

function overcommit(partial: { cpu?: number; memory?: number } | undefined, fallback: Overcommit): Overcommit {
  return { cpu: partial?.cpu ?? fallback.cpu, memory: partial?.memory ?? fallback.memory };
}

/**
 * Host reservation of a KVM host that declares none (neither on the host nor in `defaults.kvm`), and of
 * each part a reservation leaves out: Nova's defaults, `reserved_host_memory_mb=512`,
 * `reserved_host_cpus=0` (openstack/nova nova/conf/compute.py, research NOVA-HOST-RESERVE).
 */
export const KVM_FALLBACK_RESERVED_MEMORY_MIB = 512;
export const KVM_FALLBACK_RESERVED_CPUS = 0;

/** `raw` over `fallback` part by part; undefined when neither declares a reservation. */
function reservation(raw: { memory?: string; cpus?: number } | undefined, fallback: HostReservation | undefined): HostReservation | undefined {
  if (raw === undefined) return fallback;
  return {
    memoryMiB: raw.memory === undefined ? (fallback?.memoryMiB ?? KVM_FALLBACK_RESERVED_MEMORY_MIB) : sizeToMiB(raw.memory),
    cpus: raw.cpus ?? fallback?.cpus ?? KVM_FALLBACK_RESERVED_CPUS,
  };
}

export function normalizeDefaults(raw: RawDefaults | undefined): FleetDefaults {
  const kvm: HypervisorDefaults = {
    overcommit: overcommit(raw?.kvm?.overcommit, DEFAULT_OVERCOMMIT),
    reserved: reservation(raw?.kvm?.reserved, undefined),
    vm: { ...raw?.kvm?.vm },
  };
  const xen: HypervisorDefaults = {
    overcommit: overcommit(raw?.xen?.overcommit, DEFAULT_OVERCOMMIT),
    vm: { ...raw?.xen?.vm },
  };
  return { kvm, xen, placement: { strategy: raw?.placement?.strategy ?? 'spread' } };
}

/** Splits CPUs and memory evenly; a remainder goes to the first nodes so the totals stay exact. */
export function splitNuma(cpus: number, memoryMiB: number, count: number): NumaNode[] {
  return Array.from({ length: count }, (_, node) => ({
    cpus: Math.floor(cpus / count) + (node < cpus % count ? 1 : 0),
    memoryMiB: Math.floor(memoryMiB / count) + (node < memoryMiB % count ? 1 : 0),
  }));
}

function numaNodes(raw: RawHost, memoryMiB: number): NumaNode[] {
  if (raw.numaNodes === undefined) return [{ cpus: raw.cpus, memoryMiB }];
  if (typeof raw.numaNodes === 'number') return splitNuma(raw.cpus, memoryMiB, raw.numaNodes);
  return raw.numaNodes.map((node) => ({ cpus: node.cpus, memoryMiB: sizeToMiB(node.memory) }));
}

export function normalizeHost(raw: RawHost, defaults: FleetDefaults): Host {
  const memoryMiB = sizeToMiB(raw.memory);
  const kvm = raw.hypervisor === 'kvm';
  return {
    name: raw.name,
    hypervisor: raw.hypervisor,
    uri: raw.uri,
    cpus: raw.cpus,
    memoryMiB,
    cpuModel: raw.cpuModel,
    cpuVendor: raw.cpuVendor,
    cpuFlags: raw.cpuFlags ?? [],
    numaNodes: numaNodes(raw, memoryMiB),
    zone: raw.zone,
    labels: raw.labels ?? {},
    overcommit: overcommit(raw.overcommit, defaults[raw.hypervisor].overcommit),
    reserved: kvm ? reservation(raw.reserved, defaults.kvm.reserved) : undefined,
    hugepages: raw.hugepages === undefined ? undefined : { sizeKiB: sizeToKiB(raw.hugepages.size), count: raw.hugepages.count },
    ksm: raw.ksm,
    dom0:
      raw.dom0 === undefined
        ? undefined
        : {
            memoryMiB: raw.dom0.memory === undefined ? undefined : sizeToMiB(raw.dom0.memory),
            vcpus: raw.dom0.vcpus,
            pin: raw.dom0.pin,
            balloon: raw.dom0.balloon,
          },
    iommu: raw.iommu,
    distro: raw.distro,
    ...(raw.arch === undefined ? {} : { arch: raw.arch }),
  };
}

export function normalizeMigrationPool(raw: RawMigrationPool): MigrationPool {
  return { ...raw, transport: migrationTransport(raw) };
}

/**
 * TLS on KVM: the migration stream carries all guest RAM (libvirt docs/migration.rst, "Data security").
 * libxl has no TLS migration (src/libxl/libxl_migration.h, LIBXL_MIGRATION_FLAGS), so Xen tunnels
 * through the libvirt daemons' own connection instead.
 */
export function migrationTransport(pool: { readonly hypervisor: Hypervisor; readonly transport?: MigrationTransport }): MigrationTransport {
  return pool.transport ?? (pool.hypervisor === 'kvm' ? 'tls' : 'tunnelled');
}

export function normalizeNetwork(raw: RawNetwork): Network {
  return { ...raw };
}

export function normalizeStoragePool(raw: RawStoragePool): StoragePool {
  const { capacity, ...rest } = raw;
  return { ...rest, capacityMiB: capacity === undefined ? undefined : sizeToMiB(capacity), shared: SHARED_POOL_TYPES.has(raw.type) };
}

export function normalizeImage(raw: RawImage): Image {
  return { ...raw };
}

/** An exact KiB size as whole MiB (rounded up, so capacity is never under-counted) plus the KiB when they differ. */
function kibSize(text: string): { mib: number; kib?: number } {
  const kib = sizeToKiB(text);
  const mib = Math.ceil(kib / KIB_PER_MIB);
  return mib * KIB_PER_MIB === kib ? { mib } : { mib, kib };
}

const KIB_PER_MIB = 1024;

/**
 * Built with `Object.assign` and assignments, not an object spread: V8 (Node 20) gives every object spread
 * from a parsed disk a hidden class of its own, so with 25,000 disks every read of a disk field (effective
 * VMs, the planner's context, a dozen rules) missed V8's inline caches; this way disks of one shape share
 * one. Same keys in the same order as the spread.
 */
function normalizeDisk(raw: RawDisk): Disk {
  const { size, network, ...rest } = raw;
  const sized = size === undefined ? { mib: 0 } : kibSize(size);
  const disk: { -readonly [K in keyof Disk]: Disk[K] } = Object.assign({}, rest, { sizeMiB: sized.mib });
  if (sized.kib !== undefined) disk.sizeKiB = sized.kib;
  if (network !== undefined) disk.network = { ...network, hosts: network.hosts.map((h) => ({ ...h })) };
  return disk;
}

function normalizeNic(raw: RawNic): VmNic {
  return typeof raw === 'string' ? { network: raw } : { ...raw };
}

/** `0000:3b:00.0` form: the domain is added when left out, hex in lower case as libvirt prints it. */
export function canonicalPciAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.split(':').length === 2 ? `0000:${lower}` : lower;
}

/** cloud-init documents are inline when they span lines, else a file next to the fleet file. */
function cloudInitDocument(value: string | undefined, at: readonly PathSegment[], inputs: ExternalInputs): string | undefined {
  if (value === undefined) return undefined;
  return value.includes('\n') ? value : inputs.file(value, at);
}

function normalizeCloudInit(raw: NonNullable<RawVm['cloudInit']>, at: readonly PathSegment[], inputs: ExternalInputs): CloudInit {
  return {
    userData: cloudInitDocument(raw.userData, [...at, 'userData'], inputs),
    networkConfig: cloudInitDocument(raw.networkConfig, [...at, 'networkConfig'], inputs),
    sshKeys: raw.sshKeys ?? [],
    password: raw.password === undefined ? undefined : inputs.secret(raw.password, [...at, 'password']),
  };
}

function normalizeGraphics(raw: NonNullable<RawVm['graphics']>, at: readonly PathSegment[], inputs: ExternalInputs): Graphics {
  return {
    type: raw.type,
    listen: raw.listen,
    password: raw.password === undefined ? undefined : inputs.secret(raw.password, [...at, 'password']),
  };
}

export function normalizeVm({ index, item: raw }: Indexed<RawVm>, inputs: ExternalInputs): Vm {
  const { memory, currentMemory, disks, networks, cloudInit, graphics, hostdevs, hugepages, ...rest } = raw;
  const memorySize = kibSize(memory);
  // Object.assign and assignments rather than a spread, as for disks (`normalizeDisk`): VMs of one shape
  // share a hidden class. Same keys in the same order as the spread; the fields after `memoryMiB` follow.
  const vm = Object.assign({}, rest, {
    // guestType is Xen only (DESIGN.md: "guestType: pvh # pv | pvh | hvm (Xen only)"): with hypervisor auto it
    // asks for Xen, so the planner never puts the VM on KVM and drops the guest type it was given.
    hypervisor: rest.hypervisor === 'auto' && rest.guestType !== undefined ? 'xen' as const : rest.hypervisor,
    memoryMiB: memorySize.mib,
  }) as { -readonly [K in keyof Vm]: Vm[K] };
  if (memorySize.kib !== undefined) vm.memoryKiB = memorySize.kib;
  if (currentMemory !== undefined) vm.currentMemoryKiB = sizeToKiB(currentMemory);
  vm.hugepages = hugepages !== false;
  if (typeof hugepages === 'string') vm.hugepageSizeKiB = sizeToKiB(hugepages);
  vm.disks = disks.map(normalizeDisk);
  vm.networks = networks.map(normalizeNic);
  vm.cloudInit = cloudInit === undefined ? undefined : normalizeCloudInit(cloudInit, ['vms', index, 'cloudInit'], inputs);
  vm.graphics = graphics === undefined ? undefined : normalizeGraphics(graphics, ['vms', index, 'graphics'], inputs);
  vm.hostdevs = hostdevs.map(canonicalPciAddress);
  return vm;
}

/** Remote backend settings: references become secrets, everything else stays as written. */
function backendSettings(value: unknown, at: readonly PathSegment[], inputs: ExternalInputs): unknown {
  if (typeof value === 'string') return looksLikeSecretReference(value) ? inputs.secret(value, at) : value;
  if (Array.isArray(value)) return value.map((item, i) => backendSettings(item, [...at, i], inputs));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, backendSettings(item, [...at, key], inputs)]));
  }
  return value;
}

export function normalizeStack({ index, item: raw }: Indexed<RawStack>, inputs: ExternalInputs): StackSpec {
  const backend = raw.backend;
  let normalized: StackBackend;
  if (backend === undefined || backend.type === 'local') {
    normalized = { type: 'local', config: { path: backend?.path ?? defaultStatePath(raw.name) } };
  } else {
    const { type, ...settings } = backend;
    normalized = { type, config: backendSettings(settings, ['stacks', index, 'backend'], inputs) as Record<string, unknown> };
  }
  return { name: raw.name, hosts: raw.hosts, backend: normalized };
}

export interface NormalizedParts {
  readonly defaults: FleetDefaults;
  readonly hosts: Host[];
  readonly migrationPools: MigrationPool[];
  readonly networks: Network[];
  readonly pools: StoragePool[];
  readonly images: Image[];
  readonly vms: Vm[];
  readonly stacks: StackSpec[];
}

/** Normalizes every valid item (also when others failed, so file and secret problems are all found). */
export function normalizeItems(defaultsRaw: RawDefaults | undefined, valid: ValidItems, inputs: ExternalInputs): NormalizedParts {
  const defaults = normalizeDefaults(defaultsRaw);
  return {
    defaults,
    hosts: valid.hosts.map(({ item }) => normalizeHost(item, defaults)),
    migrationPools: valid.migrationPools.map(({ item }) => normalizeMigrationPool(item)),
    networks: valid.networks.map(({ item }) => normalizeNetwork(item)),
    pools: valid.pools.map(({ item }) => normalizeStoragePool(item)),
    images: valid.images.map(({ item }) => normalizeImage(item)),
    vms: valid.vms.map((vm) => normalizeVm(vm, inputs)),
    stacks: valid.stacks.map((stack) => normalizeStack(stack, inputs)),
  };
}
