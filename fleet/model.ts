/**
 * The typed, validated fleet every stage works on (planner, policies, constructs, review).
 *
 * This is the *normalized* model: sizes are MiB numbers, references are checked, defaults from the
 * `defaults` section are applied to hosts (overcommit, reservation). VM device choices that depend on
 * the hypervisor the planner picks stay optional here; `effectiveVm()` in `fleet/effective-vm.ts`
 * turns them into concrete settings once the host is known.
 */
import type {
  DiskDevice, DiskImageFormat, DiskPathType, DiskSecretType, DiskStartupPolicy, DiskVolumeMode, MacvtapMode, NetworkDiskProtocol, NicType, VmArch,
} from './guest-devices';
import type { BootDevice, ClockSetting, VcpuPlacement } from './domain-settings';
import type { Secret } from './secret';
import type {
  CPU_MODES, CRASH_ACTIONS, DISK_BUSES, DISK_CACHES, DISK_FORMATS, DISK_IO_MODES, FIRMWARES, GRAPHICS_TYPES, GUEST_OSES, HOST_DISTROS, HYPERVISORS,
  LIFECYCLE_ACTIONS, MIGRATION_TRANSPORTS, NETWORK_MODES, NUMA_POLICIES, PLACEMENT_STRATEGIES, POOL_RESERVES, SECURITY_CLASSES, STORAGE_POOL_TYPES,
  VM_HYPERVISORS, WORKLOADS, XEN_GUEST_TYPES,
} from './vocabulary';

export type {
  DiskDevice, DiskImageFormat, DiskPathType, DiskSecretType, DiskStartupPolicy, DiskVolumeMode, MacvtapMode, NetworkDiskProtocol, NicType, VmArch,
} from './guest-devices';
export type { BootDevice, ClockSetting, ClockTimerSetting, VcpuPlacement } from './domain-settings';

// The words are listed once, in `vocabulary.ts`; these are their types.
export type Hypervisor = (typeof HYPERVISORS)[number];
export type VmHypervisor = (typeof VM_HYPERVISORS)[number];
export type SecurityClass = (typeof SECURITY_CLASSES)[number];
export type Workload = (typeof WORKLOADS)[number];
export type XenGuestType = (typeof XEN_GUEST_TYPES)[number];
export type Firmware = (typeof FIRMWARES)[number];
/** The guest operating system, where it changes what the domain needs (Windows: Hyper-V enlightenments, a localtime clock). */
export type GuestOs = (typeof GUEST_OSES)[number];
/** A host's distribution: decides how its host-preparation script writes the Xen boot line. */
export type HostDistro = (typeof HOST_DISTROS)[number];
export type DiskBus = (typeof DISK_BUSES)[number];
export type DiskCache = (typeof DISK_CACHES)[number];
export type DiskIo = (typeof DISK_IO_MODES)[number];
export type DiskFormat = (typeof DISK_FORMATS)[number];
export type CpuMode = (typeof CPU_MODES)[number];
export type NumaPolicy = (typeof NUMA_POLICIES)[number];
/** What libvirt does when the guest powers off or reboots (`on_poweroff`, `on_reboot`). */
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];
/** What libvirt does when the guest crashes (`on_crash`). */
export type CrashAction = (typeof CRASH_ACTIONS)[number];
export type PoolReserve = (typeof POOL_RESERVES)[number];
/** How `virsh migrate` carries the migration stream (libvirt docs/migration.rst). */
export type MigrationTransport = (typeof MIGRATION_TRANSPORTS)[number];
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];
export type NetworkMode = (typeof NETWORK_MODES)[number];
export type StoragePoolType = (typeof STORAGE_POOL_TYPES)[number];
export type GraphicsType = (typeof GRAPHICS_TYPES)[number];

/** Where a node of the fleet file starts (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Overcommit {
  /** vCPUs allowed per physical CPU. */
  readonly cpu: number;
  /** Guest memory allowed per unit of usable host memory. */
  readonly memory: number;
}

/** Memory and CPUs a KVM host keeps for its own OS. */
export interface HostReservation {
  readonly memoryMiB: number;
  readonly cpus: number;
}

/** Xen Dom0 settings as declared; undeclared values are derived by `dom0Sizing()` (planner/capacity.ts). */
export interface Dom0Config {
  readonly memoryMiB?: number;
  readonly vcpus?: number;
  readonly pin?: boolean;
  /** Whether Dom0 may balloon (xl.conf `autoballoon`); undefined means not declared. */
  readonly balloon?: boolean;
}

export interface NumaNode {
  readonly cpus: number;
  readonly memoryMiB: number;
}

export interface Hugepages {
  readonly sizeKiB: number;
  readonly count: number;
}

export interface Host {
  readonly name: string;
  readonly hypervisor: Hypervisor;
  readonly uri: string;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly cpuModel?: string;
  readonly cpuVendor?: string;
  readonly cpuFlags: readonly string[];
  /** Always at least one node; a bare `numaNodes: N` is split evenly. */
  readonly numaNodes: readonly NumaNode[];
  readonly zone?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Host value, else `defaults.<hypervisor>.overcommit`, else 1 / 1 for Xen memory and 4 / 1 otherwise. */
  readonly overcommit: Overcommit;
  /** KVM only: host value, else `defaults.kvm.reserved`. */
  readonly reserved?: HostReservation;
  /** KVM only: hugepages set aside on the host. */
  readonly hugepages?: Hugepages;
  /** KVM only: whether kernel same-page merging runs; undefined when not declared. */
  readonly ksm?: boolean;
  /** Xen only. */
  readonly dom0?: Dom0Config;
  /** Whether the host has an IOMMU (VT-d / AMD-Vi); undefined when not declared. */
  readonly iommu?: boolean;
  /** The host's distribution (how its boot line is written). @default debian */
  readonly distro?: HostDistro;
  /** The host's CPU architecture; undefined = x86_64. */
  readonly arch?: VmArch;
}

export interface MigrationPool {
  readonly name: string;
  readonly hypervisor: Hypervisor;
  readonly hosts: readonly string[];
  /** Name of a storage pool reachable from every member; undefined when none is declared. */
  readonly sharedStorage?: string;
  /** `host-model`, `host-passthrough` or a named baseline CPU model. @default host-model */
  readonly cpuModel: string;
  readonly reserve: PoolReserve;
  /**
   * How migrations between members are carried: `tls` (QEMU's native stream with TLS, `--tls`),
   * `tunnelled` (through the libvirt daemons' connection, `--p2p --tunnelled`) or `plain` (unencrypted).
   * Undefined for pools built in code without it; `migrationTransport()` (fleet/normalize.ts) resolves the default.
   * @default tls on KVM; tunnelled on Xen, whose libxl driver has no TLS migration
   */
  readonly transport?: MigrationTransport;
}

export interface DhcpRange {
  readonly start: string;
  readonly end: string;
}

export interface Network {
  readonly name: string;
  readonly mode: NetworkMode;
  /** Host bridge for `bridge` mode (or the bridge libvirt creates for the others). */
  readonly bridge?: string;
  /** IPv4 network in CIDR form for nat, route and isolated networks. */
  readonly cidr?: string;
  readonly dhcp?: DhcpRange;
  readonly domain?: string;
  readonly mtu?: number;
  /**
   * `false`: a `bridge` network that is the host bridge only; NICs attach to the bridge directly and no
   * libvirt network is defined for it. undefined = true.
   */
  readonly libvirtNetwork?: boolean;
}

export interface StoragePool {
  readonly name: string;
  readonly type: StoragePoolType;
  /** Target path on the host. */
  readonly path?: string;
  /** Source: `host:/export` for netfs, a volume group for logical, `pool/image` for rbd, a device … */
  readonly source?: string;
  /** iSCSI pools: the portal, `host` or `host:port` (libvirt `<source><host name= port=>`). */
  readonly portal?: string;
  /** iSCSI pools: the target IQN (libvirt `<source><device path=>`). */
  readonly target?: string;
  /** iSCSI pools: the initiator IQN (libvirt `<source><initiator><iqn name=>`); required by iscsi-direct. */
  readonly initiator?: string;
  /** Usable size of the pool (per host for local pools); undefined = not limited by the planner. */
  readonly capacityMiB?: number;
  /** True for pools every host reaches the same data through (netfs, rbd, gluster, iscsi …). */
  readonly shared: boolean;
}

export interface Image {
  readonly name: string;
  /** Path on the hosts or URL of the base image. */
  readonly source: string;
  readonly format: DiskFormat;
  /** Pool the base image volume lives in. */
  readonly pool?: string;
  /** Whether the image's kernel boots as a Xen PVH guest. @default true */
  readonly pvhCapable: boolean;
}

/** A server of a network disk: a Ceph monitor, an iSCSI portal, an NBD server …, by host (and port) or UNIX socket. */
export interface NetworkDiskHost {
  /** Undefined for a UNIX socket. */
  readonly host?: string;
  readonly port?: number;
  /** nbd, gluster: the path of a UNIX socket on the host (libvirt `transport='unix'`). */
  readonly socket?: string;
}

/**
 * Where a network disk authenticates: a libvirt secret defined on the host, named by usage or UUID
 * (exactly one). The secret's value is never in the fleet.
 */
export interface NetworkDiskAuth {
  readonly username: string;
  readonly secret: { readonly type: DiskSecretType; readonly usage?: string; readonly uuid?: string };
}

/** A disk whose data a network server holds (libvirt `<disk type='network'>`); no volume is created for it. */
export interface NetworkDiskSource {
  readonly protocol: NetworkDiskProtocol;
  /** rbd: `pool/image`; iscsi: `target-iqn/lun`; nbd: the export (optional). */
  readonly name?: string;
  /** Empty for an RBD disk that takes its monitors from the host's ceph.conf. */
  readonly hosts: readonly NetworkDiskHost[];
  readonly auth?: NetworkDiskAuth;
  /** http, https: the URL's query string (libvirt `query`). */
  readonly query?: string;
  /** TLS to the server (libvirt `tls`); undefined = the host's qemu.conf decides. */
  readonly tls?: boolean;
  /** The name the server's TLS certificate is checked against (libvirt `tlsHostname`). */
  readonly tlsHostname?: string;
}

/**
 * One disk of a VM. Its data comes from exactly one place: a volume hyperplan creates in `pool`
 * (optionally from `image`), an existing volume (`pool` + `volume`), a host file or block device
 * (`path`), a network server (`network`), or — for an empty CD-ROM tray — nowhere.
 */
export interface Disk {
  /**
   * What the disk takes from its pool, whole MiB (rounded up from `sizeKiB`): what the planner counts.
   * 0 when the fleet gives no size (CD-ROMs, network and path disks, existing volumes without `size`).
   */
  readonly sizeMiB: number;
  /** The exact size when the fleet gives one that is not a whole number of MiB (e.g. `1048577KiB`). */
  readonly sizeKiB?: number;
  /** The pool of the volume; undefined for `path` and `network` disks and empty CD-ROMs. */
  readonly pool?: string;
  /** Image name (from `images`) or a path/URL of a base image. */
  readonly image?: string;
  /** An existing volume of the pool (any pool type; a LUN of an iSCSI, SCSI or multipath pool), used as it is and never destroyed. */
  readonly volume?: string;
  /** An absolute file or block device (`/dev/…`) on the host, outside any pool, used as it is. */
  readonly path?: string;
  /** How libvirt opens `path`; undefined = block under `/dev/`, else file. */
  readonly pathType?: DiskPathType;
  /** What libvirt does when the source is missing at start; undefined = mandatory. */
  readonly startupPolicy?: DiskStartupPolicy;
  /** How the disk uses a volume of an iSCSI pool; undefined = host. */
  readonly volumeMode?: DiskVolumeMode;
  /** A network block device (Ceph RBD, iSCSI, NBD, Gluster, HTTP …). */
  readonly network?: NetworkDiskSource;
  /** `cdrom` for a CD-ROM, `floppy` for a floppy; undefined = a disk. */
  readonly device?: DiskDevice;
  /** Attached read-only (a CD-ROM always is). */
  readonly readonly?: boolean;
  readonly bus?: DiskBus;
  /** The guest's device name (libvirt `<target dev>`); undefined = the next free name of the bus. */
  readonly target?: string;
  readonly cache?: DiskCache;
  readonly io?: DiskIo;
  /** qcow2 or raw for a volume hyperplan creates; any format QEMU opens for an existing disk. */
  readonly format?: DiskImageFormat;
  /** A data disk (not the OS disk): kept on replacement, protected against destroy. */
  readonly data: boolean;
  /** Set to false to let Terraform destroy a data volume. @default true for data disks */
  readonly preventDestroy?: boolean;
}

export interface VmNic {
  /** The kind of NIC; undefined = `network`. */
  readonly type?: NicType;
  /** The fleet network of a `network` NIC; undefined for the other types. */
  readonly network?: string;
  /** `direct`: the host interface the macvtap device sits on; `vdpa`: the vDPA device; `user` with passt: the host interface passt uses. */
  readonly dev?: string;
  /** `direct`: the macvtap mode; undefined = libvirt's default (vepa). */
  readonly mode?: MacvtapMode;
  /** The host-side device name (tap, macvtap); undefined = libvirt picks one. */
  readonly target?: string;
  readonly model?: string;
  readonly mac?: string;
  /** virtio-net multiqueue count. */
  readonly queues?: number;
  /** `network`: the libvirt network's port group. */
  readonly portgroup?: string;
  /** `hostdev`: the host PCI network function (`0000:03:07.1`). */
  readonly pci?: string;
  /** `client`, `server`, `mcast`, `udp`: the socket's address and port. */
  readonly address?: string;
  readonly port?: number;
  /** `udp`: the local end of the socket. */
  readonly local?: { readonly address: string; readonly port: number };
  /** `user`: the backend (passt); undefined = QEMU's SLIRP. */
  readonly backend?: 'passt';
}

export interface CloudInit {
  readonly userData?: string;
  readonly networkConfig?: string;
  readonly sshKeys: readonly string[];
  readonly password?: Secret;
}

export interface Graphics {
  readonly type: GraphicsType;
  /** @default 127.0.0.1 */
  readonly listen: string;
  readonly password?: Secret;
}

export interface Vm {
  readonly name: string;
  readonly vcpus: number;
  /** Memory in whole MiB, rounded up from `memoryKiB`: what the planner counts. */
  readonly memoryMiB: number;
  /** The exact memory when the fleet gives a size that is not a whole number of MiB (e.g. `1048577KiB`). */
  readonly memoryKiB?: number;
  /** The balloon target at boot (libvirt `currentMemory`), KiB, at most the memory; undefined = the memory. */
  readonly currentMemoryKiB?: number;
  /** Guest CPU architecture; undefined = x86_64. */
  readonly arch?: VmArch;
  readonly hypervisor: VmHypervisor;
  readonly guestType?: XenGuestType;
  /** The guest OS; undefined when not declared. */
  readonly os?: GuestOs;
  readonly firmware?: Firmware;
  readonly secureBoot: boolean;
  /** Machine type, e.g. `q35`, `pc-i440fx-8.2`, `xenfv`. */
  readonly machine?: string;
  readonly cpuMode?: CpuMode;
  readonly cpuModel?: string;
  /** Direct kernel boot (PV/PVH guests). */
  readonly kernel?: string;
  readonly initrd?: string;
  readonly cmdline?: string;
  readonly bootloader?: string;
  readonly disks: readonly Disk[];
  readonly networks: readonly VmNic[];
  readonly cloudInit?: CloudInit;
  readonly securityClass: SecurityClass;
  readonly workload: Workload;
  readonly affinity?: string;
  readonly antiAffinity?: string;
  /** Anti-affinity that the planner prefers but may break. */
  readonly softAntiAffinity?: string;
  /** Pinned host. */
  readonly host?: string;
  readonly zone?: string;
  readonly migrationPool?: string;
  /** Guest memory from the host's hugepage pool, never overcommitted. */
  readonly hugepages: boolean;
  /** Page size the VM asks for (2048 or 1048576 KiB); undefined = the host pool's page size. */
  readonly hugepageSizeKiB?: number;
  readonly numa: NumaPolicy;
  readonly graphics?: Graphics;
  /** PCI addresses passed through to the guest (`0000:3b:00.0`). */
  readonly hostdevs: readonly string[];
  /** Memory balloon device; undefined = hypervisor default. */
  readonly balloon?: boolean;
  /** virtio RNG device (KVM); undefined = default on. */
  readonly rng?: boolean;
  /** pty serial console (Xen: the PV console); undefined = on. */
  readonly console?: boolean;
  readonly autostart: boolean;
  /** Whether the domain runs after apply (the provider's `running`); undefined = true. */
  readonly running?: boolean;
  /** libvirt's `on_poweroff`, `on_reboot`, `on_crash`; undefined = libvirt's default (destroy, restart, destroy). */
  readonly onPoweroff?: LifecycleAction;
  readonly onReboot?: LifecycleAction;
  readonly onCrash?: CrashAction;
  /** The guest clock; undefined = libvirt's utc (localtime and the Windows timers for a Windows guest). */
  readonly clock?: ClockSetting;
  /** `<os><boot dev>` in order; undefined = hd. */
  readonly bootDevices?: readonly BootDevice[];
  /** `<vcpu placement>`; undefined = static (auto for a `numa` guest on KVM). */
  readonly vcpuPlacement?: VcpuPlacement;
  /** `<vcpu cpuset>`: host CPUs the vCPUs may run on; undefined = every CPU (outside a pinned Dom0's). */
  readonly cpuset?: string;
}

/** Terraform backend of one stack: `local` with a path, or a remote type with its settings. */
export interface StackBackend {
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface StackSpec {
  readonly name: string;
  /** Hosts whose VMs, networks and pools this stack manages. */
  readonly hosts: readonly string[];
  readonly backend: StackBackend;
}

export interface VmDefaults {
  readonly machine?: string;
  readonly cpuMode?: CpuMode;
  readonly diskBus?: DiskBus;
  readonly diskCache?: DiskCache;
  readonly nicModel?: string;
  readonly firmware?: Firmware;
  readonly guestType?: XenGuestType;
}

export interface HypervisorDefaults {
  readonly overcommit: Overcommit;
  readonly reserved?: HostReservation;
  readonly vm: VmDefaults;
}

export interface FleetDefaults {
  readonly kvm: HypervisorDefaults;
  readonly xen: HypervisorDefaults;
  readonly placement: { readonly strategy: PlacementStrategy };
}

export interface Fleet {
  readonly apiVersion: 'hyperplan/v1';
  /** The file the fleet was loaded from, when it came from a file. */
  readonly file?: string;
  readonly defaults: FleetDefaults;
  readonly hosts: readonly Host[];
  readonly migrationPools: readonly MigrationPool[];
  readonly networks: readonly Network[];
  readonly pools: readonly StoragePool[];
  readonly images: readonly Image[];
  readonly vms: readonly Vm[];
  /** Declared stacks; empty means one stack per hypervisor kind present. */
  readonly stacks: readonly StackSpec[];
  /**
   * Source positions keyed by fleet path: `hosts[xen-s1]`, `hosts[xen-s1].dom0`, `vms[web-1].disks[0]`,
   * `migrationPools[kvm-pool-a]` … (named objects by name, list items by index). Empty for fleets built in code.
   */
  readonly locations: Readonly<Record<string, SourceLocation>>;
}
