/**
 * The guest vocabulary that an existing libvirt domain may use and the fleet keeps (issue #15, "What
 * libvirt had, kept"): CPU architectures with the machine types each accepts, CD-ROMs, network disks,
 * and NIC types besides a libvirt network. Pure data and small pure checks, shared by the schema,
 * `effectiveVm()` and the policies; the sources of every fact are named in test/fleet/guest-devices.test.ts.
 */
import type { DISK_BUSES } from './vocabulary';

/** Guest CPU architectures, as libvirt names them in `<os><type arch=…>`. */
export const VM_ARCHES = ['x86_64', 'i686', 'aarch64', 'ppc64le', 'ppc64', 's390x', 'riscv64'] as const;
export type VmArch = (typeof VM_ARCHES)[number];

/** The architecture of a VM (and host) that declares none: the only one the fleet described before `arch`. */
export const DEFAULT_ARCH: VmArch = 'x86_64';

/**
 * What a disk is to the guest (libvirt `<disk device=…>`); `disk` unless declared. `lun` passes a host
 * block device or iSCSI LUN through as a SCSI device (SG_IO), so the guest can send it SCSI commands.
 */
export const DISK_DEVICES = ['disk', 'cdrom', 'floppy', 'lun'] as const;
export type DiskDevice = (typeof DISK_DEVICES)[number];

/** Devices with removable media, which may be empty (no source) and never get a volume created. */
export function isRemovable(device: DiskDevice | undefined): boolean {
  return device === 'cdrom' || device === 'floppy';
}

/**
 * Network block protocols a disk may read its data from (libvirt `<source protocol=…>`): those libvirt's
 * QEMU driver builds a block node for (src/qemu/qemu_block.c, qemuBlockStorageSourceGetBackendProps) and
 * QEMU still has. Sheepdog and VxHS are left out: QEMU removed both drivers (docs/about/removed-features.rst).
 */
export const NETWORK_DISK_PROTOCOLS = ['rbd', 'iscsi', 'nbd', 'gluster', 'http', 'https', 'ftp', 'ftps', 'tftp', 'nfs', 'ssh'] as const;
export type NetworkDiskProtocol = (typeof NETWORK_DISK_PROTOCOLS)[number];

/** The protocol whose `<source name>` is optional: libvirt requires it of every other (domain_conf.c, virDomainDiskSourceNetworkParse: "missing name for disk source"). */
export const NAMELESS_PROTOCOLS: ReadonlySet<NetworkDiskProtocol> = new Set<NetworkDiskProtocol>(['nbd']);

/** Protocols whose server may be a UNIX socket (`<host transport='unix' socket=…>`; formatdomain: nbd and gluster). */
export const SOCKET_PROTOCOLS: ReadonlySet<NetworkDiskProtocol> = new Set<NetworkDiskProtocol>(['nbd', 'gluster']);

/** Protocols that may leave out their servers: RBD then reads its monitors from the host's ceph.conf (formatdomain). */
export const HOSTLESS_PROTOCOLS: ReadonlySet<NetworkDiskProtocol> = new Set<NetworkDiskProtocol>(['rbd']);

/**
 * Image formats of an existing disk that libvirt's QEMU driver opens (src/qemu/qemu_block.c,
 * qemuBlockStorageSourceGetBlockdevFormatProps); `fat` is a host directory shown as a FAT disk
 * (`pathType: dir`). cow, iso and dir are refused there ("mishandled storage format"). Volumes and images
 * hyperplan creates are qcow2 or raw (DISK_FORMATS).
 */
export const DISK_IMAGE_FORMATS = ['qcow2', 'raw', 'qcow', 'qed', 'vmdk', 'vpc', 'vhd', 'vdi', 'ploop', 'bochs', 'cloop', 'dmg', 'fat'] as const;
export type DiskImageFormat = (typeof DISK_IMAGE_FORMATS)[number];

/** Formats libxl opens (libvirt src/libxl/libxl_conf.c, libxlMakeDisk: qcow, qcow2, qed, vhd and raw; the rest "libxenlight does not support disk format"). */
export const XEN_DISK_FORMATS: ReadonlySet<DiskImageFormat> = new Set<DiskImageFormat>(['raw', 'qcow', 'qcow2', 'qed', 'vhd']);

/** How libvirt opens a disk's `path:` (its `<disk type>`): a file, a block device, or a directory QEMU shows as a FAT disk. */
export const DISK_PATH_TYPES = ['file', 'block', 'dir'] as const;
export type DiskPathType = (typeof DISK_PATH_TYPES)[number];

/** The path type libvirt is given when the fleet names none: block devices live under /dev. */
export function defaultPathType(path: string): DiskPathType {
  return path.startsWith('/dev/') ? 'block' : 'file';
}

/**
 * What libvirt does when a disk's source is missing at start (`<source startupPolicy>`, formatdomain):
 * fail (mandatory), drop it (optional), or drop it on migration and restore only (requisite, CD-ROMs and
 * floppies only: domain_validate.c, virDomainDiskDefValidateStartupPolicy).
 */
export const DISK_STARTUP_POLICIES = ['mandatory', 'requisite', 'optional'] as const;
export type DiskStartupPolicy = (typeof DISK_STARTUP_POLICIES)[number];

/** How a disk uses a volume of an iSCSI pool (`<source mode>`, formatdomain): the host's LUN device, or QEMU's own initiator. */
export const DISK_VOLUME_MODES = ['host', 'direct'] as const;
export type DiskVolumeMode = (typeof DISK_VOLUME_MODES)[number];

/** The libvirt secret usage types a disk's `<auth><secret type=…>` names. */
export const DISK_SECRET_TYPES = ['ceph', 'iscsi'] as const;
export type DiskSecretType = (typeof DISK_SECRET_TYPES)[number];

/** The secret type each protocol authenticates with; libvirt has `<auth>` for iSCSI and RBD only (formatdomain, `auth`). */
export const PROTOCOL_SECRET_TYPE: Readonly<Partial<Record<NetworkDiskProtocol, DiskSecretType>>> = {
  rbd: 'ceph',
  iscsi: 'iscsi',
};

/**
 * Protocols whose `<source>` carries several hosts (formatdomain "Number of hosts"): Ceph monitors,
 * Gluster servers. The others name one server.
 */
export const MULTI_HOST_PROTOCOLS: ReadonlySet<NetworkDiskProtocol> = new Set<NetworkDiskProtocol>(['rbd', 'gluster']);

/**
 * NIC types (libvirt `<interface type=…>`); `network` (a fleet network) unless declared. `hostdev` passes a
 * host PCI network function through, `vdpa` attaches a vDPA device, and `client`, `server`, `mcast`, `udp`
 * are QEMU socket backends (formatdomain "Network interfaces").
 */
export const NIC_TYPES = ['network', 'user', 'ethernet', 'direct', 'hostdev', 'vdpa', 'client', 'server', 'mcast', 'udp'] as const;
/** The NIC types whose source is a QEMU socket (`<source address port>`). */
export const SOCKET_NIC_TYPES: readonly NicType[] = ['client', 'server', 'mcast', 'udp'];
/** `<backend type>` of a user-mode NIC: passt instead of QEMU's built-in SLIRP (libvirt 9.0 formatdomain "Userspace (SLIRP or passt) connection"). */
export const USER_NIC_BACKENDS = ['passt'] as const;
export type NicType = (typeof NIC_TYPES)[number];

/** macvtap modes of a `direct` NIC (libvirt `<source dev mode=…>`). */
export const MACVTAP_MODES = ['bridge', 'vepa', 'private', 'passthrough'] as const;
export type MacvtapMode = (typeof MACVTAP_MODES)[number];

/** A machine type family: the bare alias and its versioned names (`pc-q35-8.2` for `pc-q35`). */
interface MachineFamily {
  readonly name: string;
  /** Also accepts `<name>-<version>`. */
  readonly versioned: boolean;
}

const family = (name: string, versioned = true): MachineFamily => ({ name, versioned });

/** Xen's own machine names on x86 (libvirt libxl driver): HVM, PV and PVH guests. */
export const XEN_MACHINES = ['xenfv', 'xenpv', 'xenpvh'] as const;

const X86_MACHINES: readonly MachineFamily[] = [
  // `pc-0.13` … `pc-1.3`: the i440FX machines before QEMU 1.4 named them `pc-i440fx-<version>`.
  family('pc'),
  family('pc-i440fx'),
  family('q35', false),
  family('pc-q35'),
  family('isapc', false),
  family('microvm', false),
  ...XEN_MACHINES.map((name) => family(name, false)),
];

const PPC64_MACHINES: readonly MachineFamily[] = [family('pseries'), family('powernv'), family('powernv8', false), family('powernv9', false), family('powernv10', false)];

/** The machine types hyperplan accepts per architecture: those QEMU defines for it that run servers. */
export const ARCH_MACHINES: Readonly<Record<VmArch, readonly MachineFamily[]>> = {
  x86_64: X86_MACHINES,
  i686: X86_MACHINES,
  aarch64: [family('virt'), family('sbsa-ref', false)],
  ppc64le: PPC64_MACHINES,
  ppc64: PPC64_MACHINES,
  s390x: [family('s390-ccw-virtio')],
  riscv64: [family('virt', false), family('spike', false), family('sifive_u', false)],
};

/** The machine a KVM guest of `arch` gets when neither the VM nor `defaults.kvm.vm.machine` names one. */
export const KVM_ARCH_DEFAULT_MACHINE: Readonly<Record<VmArch, string>> = {
  x86_64: 'q35',
  i686: 'q35',
  aarch64: 'virt',
  ppc64le: 'pseries',
  ppc64: 'pseries',
  s390x: 's390-ccw-virtio',
  riscv64: 'virt',
};

/** x86 guests (64- and 32-bit): those whose defaults (q35, SATA CD-ROMs, Xen) the fleet was written for. */
export function isX86(arch: VmArch): boolean {
  return arch === 'x86_64' || arch === 'i686';
}

const VERSION = /^\d+(\.\d+)*$/;

/** Whether QEMU (or libxl) knows `machine` for a guest of `arch`. */
export function machineFitsArch(arch: VmArch, machine: string): boolean {
  return ARCH_MACHINES[arch].some(
    (f) => machine === f.name || (f.versioned && machine.startsWith(`${f.name}-`) && VERSION.test(machine.slice(f.name.length + 1))),
  );
}

/** `pc`, `pc-i440fx-8.2` …: the i440FX machine, the only x86 machine QEMU gives a built-in IDE controller. */
export function hasBuiltinIde(machine: string): boolean {
  return machine === 'pc' || /^pc-(i440fx-)?\d/.test(machine) || machine === 'isapc' || machine === 'xenfv';
}

/** The machine families of `arch` as a message lists them. */
export function machinesOf(arch: VmArch): string {
  return ARCH_MACHINES[arch].map((f) => (f.versioned ? `${f.name}[-<version>]` : f.name)).join(', ');
}

/**
 * Architectures a host of `hostArch` runs natively (no emulation): its own, and on x86_64 also 32-bit
 * x86 guests; a POWER host runs big- and little-endian guests alike. Both KVM and Xen run guests of the
 * host's architecture only.
 */
export function nativeGuestArches(hostArch: VmArch): readonly VmArch[] {
  if (hostArch === 'x86_64') return ['x86_64', 'i686'];
  if (hostArch === 'ppc64le' || hostArch === 'ppc64') return ['ppc64le', 'ppc64'];
  return [hostArch];
}

/**
 * Host architectures hyperplan deploys Xen on: x86. Xen also runs on Arm, but there its guests are of
 * one kind of their own, not the PV/PVH/HVM guests hyperplan renders; the other architectures have no
 * Xen port.
 */
export const XEN_HOST_ARCHES: ReadonlySet<VmArch> = new Set<VmArch>(['x86_64']);

/** Guest architectures of hyperplan's Xen guests (PV, PVH, HVM on x86 hosts): 64- and 32-bit x86. */
export const XEN_GUEST_ARCHES: ReadonlySet<VmArch> = new Set<VmArch>(['x86_64', 'i686']);

/** The fields that say where a disk's data is. */
export interface DiskSourceFields {
  readonly pool?: string;
  readonly volume?: string;
  readonly path?: string;
  readonly network?: unknown;
  readonly device?: DiskDevice;
}

/** Whether hyperplan creates (and owns) a volume for the disk: not for existing volumes, paths, network disks, CD-ROMs, floppies or LUNs. */
export function createsVolume(disk: DiskSourceFields): boolean {
  return disk.pool !== undefined && disk.volume === undefined && (disk.device ?? 'disk') === 'disk';
}

/**
 * Whether the disk's data sits on one host only: a volume of a pool that is not shared, or a host path.
 * Network disks are reachable from every host; an empty CD-ROM tray holds nothing.
 */
export function isHostLocal(disk: DiskSourceFields, sharedPool: (pool: string) => boolean): boolean {
  return disk.pool !== undefined ? !sharedPool(disk.pool) : disk.path !== undefined;
}

type DiskBusName = (typeof DISK_BUSES)[number];

/**
 * The guest device name prefixes (libvirt `<target dev>`) and the buses whose next free names use each,
 * as libvirt names disks (formatdomain "Hard drives, floppy disks, CDROMs": "The dev attribute indicates
 * the 'logical' device name ... hda, sdb ...", virDiskNameToIndex in src/util/virutil.c parses the
 * letters after the prefix: a to z, then aa …). Floppies are fd*.
 */
const TARGET_PREFIX_BUSES: ReadonlyArray<readonly [string, readonly DiskBusName[]]> = [
  ['xvd', ['xen']],
  ['vd', ['virtio']],
  ['hd', ['ide']],
  ['sd', ['scsi', 'sata', 'usb']],
  ['fd', ['fdc']],
];

const TARGET_NAME = /^(xvd|vd|hd|sd|fd)([a-z]{1,3})$/;

/** The bus a device name implies when only one bus uses its prefix (`vdb` → virtio, `hdc` → ide); undefined for `sd*`. */
export function busOfTarget(target: string): DiskBusName | undefined {
  const prefix = TARGET_NAME.exec(target)?.[1];
  const buses = TARGET_PREFIX_BUSES.find(([p]) => p === prefix)?.[1];
  return buses?.length === 1 ? buses[0] : undefined;
}

/**
 * Why `target` cannot be the device name of a `device` on `bus` (undefined when it can). libvirt takes a
 * disk's name of any of its prefixes on any bus (the guest names its disks itself; the name orders them):
 * src/conf/domain_validate.c, virDomainDiskDefValidate, checks only that a disk's name starts with hd,
 * sd, vd or xvd ("Invalid harddisk device name") and a floppy's with fd ("Invalid floppy device name");
 * its own test data has `hda` on virtio (tests/qemuxml2argvdata/disk-virtio-ccw.xml). Without a bus,
 * the name must say which bus it is.
 */
export function diskTargetProblem(target: string, bus: DiskBusName | undefined, device?: DiskDevice): string | undefined {
  const match = TARGET_NAME.exec(target);
  if (!match) return `'${target}' is not a disk device name like vdb, sda, hdc, xvda or fda (a prefix vd, sd, hd, xvd or fd, then letters)`;
  const floppyName = match[1] === 'fd';
  if (device === 'floppy' && !floppyName) return `'${target}' is not a floppy's name; floppies are named fda, fdb`;
  if (device !== 'floppy' && floppyName) return `'${target}' is a floppy's name; set device: floppy, or name the ${device ?? 'disk'} vd*, sd*, hd* or xvd*`;
  const buses = TARGET_PREFIX_BUSES.find(([p]) => p === match[1])![1];
  if (bus === undefined && buses.length > 1) return `${match[1]}* names are on the ${buses.join(', ')} buses; name the bus with bus:`;
  return undefined;
}
