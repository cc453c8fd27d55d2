/**
 * The concrete device and boot settings of a VM once its hypervisor is known: the fleet's explicit
 * choices, else `defaults.<hypervisor>.vm`, else the documented defaults below. Constructs render
 * exactly this; policies judge exactly this, so what is checked is what is synthesized.
 */
import type {
  CpuMode, Disk, DiskBus, DiskCache, DiskDevice, DiskFormat, DiskIo, Firmware, Fleet, Graphics, GuestOs, Hypervisor, MacvtapMode, MigrationPool,
  NetworkDiskSource, NicType, StoragePoolType, Vm, VmArch, VmDefaults, XenGuestType,
} from './model';
import {
  busOfTarget, DEFAULT_ARCH, defaultPathType, type DiskImageFormat, type DiskPathType, type DiskStartupPolicy, type DiskVolumeMode, hasBuiltinIde, isRemovable, isX86,
  KVM_ARCH_DEFAULT_MACHINE,
} from './guest-devices';
import { fleetIndex, type FleetIndex } from './fleet-index';
import type { ClockBasis, ClockOffset, ClockSetting, TimerCatchup } from './domain-settings';

/** KVM machine type: PCIe, modern hotplug; libvirt keeps "pc" unless asked (research: KVM-MACHINE-Q35). */
export const KVM_DEFAULT_MACHINE = 'q35';
/** Migratable across same-vendor hosts while exposing most features (QEMU cpu-models guidance). */
export const KVM_DEFAULT_CPU_MODE: CpuMode = 'host-model';
export const KVM_DEFAULT_DISK_BUS: DiskBus = 'virtio';
/** cache=none is migration-safe on shared storage and required for io=native (research: KVM-DISK-CACHE-IO). */
export const KVM_DEFAULT_DISK_CACHE: DiskCache = 'none';
export const KVM_DEFAULT_NIC_MODEL = 'virtio';
export const XEN_DEFAULT_DISK_BUS: DiskBus = 'xen';
/**
 * NIC model of Xen PV and PVH guests: the PV frontend, the only model libvirt's libxl driver accepts
 * for them (libvirt src/libxl/libxl_conf.c, libxlMakeNic).
 */
export const XEN_DEFAULT_NIC_MODEL = 'netfront';
/**
 * The QEMU disk driver: KVM's only one, and on Xen the one that makes libxl read a file in its own
 * format. libvirt's libxl driver reads a disk without a driver name as raw whatever its `type`
 * (libxl_conf.c, libxlMakeDisk: "If driverName is not specified, default to raw"); with name `qemu` it
 * maps qcow2/qed/vhd/raw to the QEMU qdisk backend.
 */
export const QEMU_DISK_DRIVER = 'qemu';

/**
 * Hyper-V enlightenments of KVM Windows guests, as libvirt documents them (formatdomain.html,
 * "Hypervisor features": relaxed, vapic, spinlocks, vpindex, runtime, synic, stimer, reset,
 * frequencies, tlbflush, ipi), limited to those dmacvicar/libvirt 0.9.7 can express: its schema drops
 * the `state` attribute of `spinlocks`, `stimer` and `tlbflush` (libvirtxml embeds it), and libvirt
 * rejects those elements without one, so they are reported by KVM-WINDOWS-HYPERV-PARTIAL instead.
 */
export const KVM_WINDOWS_HYPERV = ['relaxed', 'vapic', 'vpindex', 'runtime', 'synic', 'reset', 'frequencies', 'ipi'] as const;
export type HypervFeature = (typeof KVM_WINDOWS_HYPERV)[number];
/** The enlightenments libvirt documents for Windows that provider 0.9.7 cannot render (see above). */
export const KVM_WINDOWS_HYPERV_UNEXPRESSED = ['spinlocks (retries 8191)', 'stimer', 'tlbflush'] as const;

export interface ClockTimer {
  readonly name: string;
  readonly tickPolicy?: string;
  readonly catchup?: TimerCatchup;
  readonly present?: 'yes' | 'no';
  readonly track?: string;
  readonly frequency?: number;
  readonly mode?: string;
}

/**
 * Windows keeps its RTC in local time (xl.cfg(5) `localtime`, default UTC; libvirt clock offset
 * `localtime`). On KVM also the usual Windows timer set (as virt-install writes it): the RTC catches up
 * after a pause, the PIT delays, no HPET, and the Hyper-V reference clock (libvirt formatdomain "Time
 * keeping": tickpolicy catchup/delay, timer `hypervclock`). libxl accepts none of those timers (libxl_conf.c rejects rtc, pit, hypervclock).
 */
export const KVM_WINDOWS_TIMERS: readonly ClockTimer[] = [
  { name: 'rtc', tickPolicy: 'catchup' },
  { name: 'pit', tickPolicy: 'delay' },
  { name: 'hpet', present: 'no' },
  { name: 'hypervclock', present: 'yes' },
];

export interface EffectiveClock {
  readonly offset: ClockOffset;
  readonly timezone?: string;
  readonly adjustment?: number | 'reset';
  readonly basis?: ClockBasis;
  readonly start?: number;
  readonly timers: readonly ClockTimer[];
}

/** The clock a VM declares (`clock:`), in libvirt's spelling (`present` yes/no). */
function declaredClock(clock: ClockSetting): EffectiveClock {
  const { timers, ...offset } = clock;
  return {
    ...offset,
    timers: (timers ?? []).map(({ present, ...timer }) => (present === undefined ? timer : { ...timer, present: present ? 'yes' : 'no' })),
  };
}
/**
 * PVH guests have no firmware; they boot a kernel directly. Without one given, boot the disk's own
 * kernel through GRUB built for Xen PVH (Debian package grub-xen-bin).
 */
export const XEN_PVH_GRUB = '/usr/lib/grub-xen/grub-i386-xen_pvh.bin';

const XEN_MACHINE: Record<XenGuestType, { osType: string; machine: string }> = {
  pv: { osType: 'linux', machine: 'xenpv' },
  pvh: { osType: 'xenpvh', machine: 'xenpvh' },
  hvm: { osType: 'hvm', machine: 'xenfv' },
};

/** Guest device name prefix per disk bus (`vda`, `sda`, `hda`, `xvda`). */
export const DISK_DEVICE_PREFIX: Record<DiskBus, string> = { virtio: 'vd', scsi: 'sd', sata: 'sd', usb: 'sd', ide: 'hd', xen: 'xvd', fdc: 'fd' };

/** Device names per prefix: `a` to `z` (libvirt accepts more, `vdaa`, but the planner never needs them). */
export const DEVICE_LETTERS = 26;

/** Device name number `letter` (0-based) with `prefix`: `vda`, `vdb` …; undefined past `z`. */
export function deviceName(prefix: string, letter: number): string | undefined {
  return letter < DEVICE_LETTERS ? `${prefix}${String.fromCharCode(97 + letter)}` : undefined;
}

/**
 * The guest device names of a VM's disks: the name the fleet gives (`target`), else the next name of the
 * bus's prefix that no disk takes, in disk order (`vda`, `vdb` …); undefined past `z`.
 */
export function diskDeviceNames(disks: readonly { readonly bus: DiskBus; readonly target?: string }[]): (string | undefined)[] {
  const named = new Set<string>();
  for (const disk of disks) if (disk.target !== undefined) named.add(disk.target);
  const used = new Map<string, number>();
  return disks.map((disk) => {
    if (disk.target !== undefined) return disk.target;
    const prefix = DISK_DEVICE_PREFIX[disk.bus];
    let letter = used.get(prefix) ?? 0;
    while (deviceName(prefix, letter) !== undefined && named.has(deviceName(prefix, letter)!)) letter += 1;
    used.set(prefix, letter + 1);
    return deviceName(prefix, letter);
  });
}

export interface EffectiveDisk {
  readonly index: number;
  /** Guest device name, e.g. `vda`, `xvdb`. */
  readonly target: string;
  readonly bus: DiskBus;
  readonly cache?: DiskCache;
  readonly io?: DiskIo;
  /** qcow2 or raw for a volume hyperplan creates (the fleet's schema allows no other there). */
  readonly format: DiskImageFormat;
  /** libvirt disk driver name: `qemu` on KVM and for non-raw files on Xen; none for raw on Xen (libxl picks the backend). */
  readonly driverName?: string;
  /** `disk`, `cdrom`, `floppy` or `lun` (libvirt `<disk device>`). */
  readonly device: DiskDevice;
  /** Attached read-only: declared so, or a CD-ROM. */
  readonly readonly: boolean;
  readonly sizeMiB: number;
  /** The exact size when it is not a whole number of MiB. */
  readonly sizeKiB?: number;
  /** The pool of the disk's volume; undefined for path and network disks and empty CD-ROMs. */
  readonly pool?: string;
  /**
   * An existing volume of `pool` the disk uses as it is; no volume is created for it (nor destroyed).
   * Undefined for disks whose volume hyperplan creates.
   */
  readonly volume?: string;
  /** A host file or block device outside any pool. */
  readonly path?: string;
  /** How libvirt opens `path`: declared, else block under `/dev/`, else file. Set with `path`. */
  readonly pathType?: DiskPathType;
  readonly startupPolicy?: DiskStartupPolicy;
  readonly volumeMode?: DiskVolumeMode;
  /** A network block device. */
  readonly network?: NetworkDiskSource;
  /** Base image path or URL the OS disk is created from. */
  readonly imageSource?: string;
  readonly data: boolean;
  readonly preventDestroy: boolean;
}

export interface EffectiveNic {
  readonly index: number;
  readonly type: NicType;
  /** The fleet network of a `network` NIC. */
  readonly network?: string;
  /**
   * The host bridge of a `network` NIC whose network is the host bridge only (`libvirtNetwork: false`):
   * the NIC attaches to it and no libvirt network is defined.
   */
  readonly hostBridge?: string;
  /** `direct`: the host interface and macvtap mode; `vdpa`: the device; `user` with passt: the interface. */
  readonly dev?: string;
  readonly mode?: MacvtapMode;
  /** The other types' sources, as the VM declares them (fleet/model.ts VmNic). */
  readonly portgroup?: string;
  readonly pci?: PciAddress;
  readonly address?: string;
  readonly port?: number;
  readonly local?: { readonly address: string; readonly port: number };
  readonly backend?: 'passt';
  /** The host-side device name, when declared. */
  readonly target?: string;
  /**
   * NIC model; undefined on Xen HVM unless the fleet names one: no `<model>` gives libxl's
   * emulated+PV NIC (VIF_IOEMU), which a guest's PV drivers take over (libxl_conf.c, libxlMakeNic).
   */
  readonly model?: string;
  readonly mac?: string;
  /** virtio-net multiqueue; set for network-heavy KVM guests (one queue per vCPU). */
  readonly queues?: number;
  /** In-kernel vhost-net backend (KVM virtio only). */
  readonly vhost: boolean;
}

/** A host PCI device passed through to the guest, from its `domain:bus:slot.function` address. */
export interface PciAddress {
  readonly domain: number;
  readonly bus: number;
  readonly slot: number;
  readonly function: number;
}

export interface EffectiveCpu {
  readonly mode: CpuMode;
  readonly model?: string;
}

export interface EffectiveVm {
  readonly vm: Vm;
  readonly hypervisor: Hypervisor;
  /** libvirt `<domain type>`. */
  readonly domainType: Hypervisor;
  readonly osType: string;
  /** Guest CPU architecture (`<os><type arch>`). */
  readonly arch: VmArch;
  readonly machine: string;
  readonly guestType?: XenGuestType;
  /** The guest OS as declared. */
  readonly os?: GuestOs;
  readonly firmware: Firmware;
  readonly secureBoot: boolean;
  readonly cpu?: EffectiveCpu;
  readonly kernel?: string;
  readonly initrd?: string;
  readonly cmdline?: string;
  readonly bootloader?: string;
  readonly disks: readonly EffectiveDisk[];
  readonly nics: readonly EffectiveNic[];
  readonly rng: boolean;
  readonly balloon: boolean;
  /** `none`: the VM declares `console: false` (an adopted domain without one). */
  readonly console: 'serial' | 'xen' | 'none';
  readonly graphics?: Graphics;
  readonly hostdevs: readonly PciAddress[];
  /**
   * KVM `numa: strict|preferred`: `<numatune><memory mode placement='auto'/>` with `<vcpu placement='auto'>`
   * (libvirt formatdomain "NUMA Node Tuning" and "CPU Allocation": with placement auto libvirt asks numad
   * for the node(s) the guest fits and binds memory and vCPUs there). Undefined for `none` and on Xen,
   * where libxl places a domain on NUMA nodes itself (xl-numa-placement(7)).
   */
  readonly numaMode?: 'strict' | 'preferred';
  /** KVM hugepage backing: `<memoryBacking><hugepages>`, with the page size (KiB) when the VM names one. */
  readonly hugepages?: { readonly sizeKiB?: number };
  /** Xen HVM Windows guests: Hyper-V (viridian) enlightenments, libvirt `<features><viridian/>`. */
  readonly viridian: boolean;
  /** KVM Windows guests: Hyper-V enlightenments turned on. */
  readonly hyperv: readonly HypervFeature[];
  /** A clock other than libvirt's default (UTC); set for Windows guests and where the VM declares one. */
  readonly clock?: EffectiveClock;
}

/**
 * The effective objects are built as one literal of the keys every object has, then the optional keys
 * that apply are assigned, not by spreading conditional parts (`...(x ? { x } : {})`: at 20,000 VMs each
 * spread is a runtime call and an object to collect) nor key by key (each key past the literal's grows
 * the object's out-of-line property store, a new array each few keys: two thirds of what building the
 * effective VMs allocated). An optional key is absent, never present and undefined; the keys' order is
 * not part of the contract.
 */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The empty list of the VMs without PCI passthrough or Hyper-V enlightenments (nearly all): one frozen
 * array shared by them rather than two new ones per VM to allocate and keep (20,000 VMs).
 */
const NONE: readonly never[] = Object.freeze([]);

const PCI_ADDRESS = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i;

/** Parses `0000:3b:00.0` (the loader normalizes addresses to this form). */
export function pciAddress(address: string): PciAddress {
  const match = PCI_ADDRESS.exec(address);
  if (!match) throw new Error(`'${address}' is not a PCI address (domain:bus:slot.function, e.g. 0000:3b:00.0)`);
  const [domain, bus, slot, fn] = match.slice(1).map((part) => Number.parseInt(part, 16)) as [number, number, number, number];
  return { domain, bus, slot, function: fn };
}

function poolCpu(pool: MigrationPool | undefined): EffectiveCpu | undefined {
  if (!pool) return undefined;
  if (pool.cpuModel === 'host-model' || pool.cpuModel === 'host-passthrough') return { mode: pool.cpuModel };
  return { mode: 'custom', model: pool.cpuModel };
}

/** The CPU the fleet sets on the VM itself, if any. */
function declaredCpu(vm: Vm): EffectiveCpu | undefined {
  if (!vm.cpuMode) return undefined;
  return vm.cpuModel ? { mode: vm.cpuMode, model: vm.cpuModel } : { mode: vm.cpuMode };
}

function kvmCpu(fleet: Fleet, index: FleetIndex, vm: Vm): EffectiveCpu {
  const declared = declaredCpu(vm);
  if (declared) return declared;
  const pool = vm.migrationPool === undefined ? undefined : index.migrationPools.get(vm.migrationPool);
  return poolCpu(pool) ?? { mode: fleet.defaults.kvm.vm.cpuMode ?? KVM_DEFAULT_CPU_MODE };
}

/** Format of a base image given as a path or URL: `.raw`/`.img` files are raw, everything else qcow2. */
export function imagePathFormat(path: string): DiskFormat {
  return path.endsWith('.raw') || path.endsWith('.img') ? 'raw' : 'qcow2';
}

function imageOf(index: FleetIndex, image: string | undefined): { source: string; format: DiskFormat; pvhCapable: boolean } | undefined {
  if (!image) return undefined;
  const named = index.images.get(image);
  if (named) return named;
  return { source: image, format: imagePathFormat(image), pvhCapable: true };
}

/**
 * Pools whose volumes are LUNs that exist on the storage side: libvirt cannot create volumes in them
 * (libvirt docs/storage.rst: iSCSI "Volumes must be pre-allocated on the iSCSI server, and cannot be
 * created via the libvirt APIs"; the same for SCSI and multipath pools; the iscsi-direct backend has no
 * createVol). A disk there names its volume (`volume:`).
 */
export const PREALLOCATED_LUN_POOL_TYPES: ReadonlySet<StoragePoolType> = new Set<StoragePoolType>(['iscsi', 'iscsi-direct', 'scsi', 'mpath']);

/**
 * Pools that hold raw data only: libvirt's logical backend creates a plain LV for every volume whatever
 * format is asked (src/storage/storage_backend_logical.c, virStorageBackendLogicalCreateVol; docs/storage.rst:
 * "The logical volume pool does not use the volume format type element"), and LUNs are raw block devices.
 */
export const RAW_ONLY_POOL_TYPES: ReadonlySet<StoragePoolType> = new Set<StoragePoolType>(['logical', ...PREALLOCATED_LUN_POOL_TYPES]);

/**
 * The default I/O mode of a KVM disk. `io=native` (Linux AIO) only pays off with O_DIRECT (cache=none:
 * QEMU refuses `aio=native` without `cache.direct=on`, block/file-posix.c raw_open_common) and it submits from QEMU's event loop,
 * where io_submit() blocks whenever the filesystem has to allocate blocks — which a sparse qcow2 does on
 * every first write to a cluster. So native only for raw volumes, which libvirt allocates in full
 * (src/conf/storage_conf.c: a volume without `<allocation>` gets allocation = capacity) or which are
 * block devices; qcow2 gets `threads`, the thread pool that absorbs those stalls. Nova decides the same
 * way (nova/virt/libvirt/imagebackend.py: native for preallocated images and non-sparse LVM only).
 */
function defaultKvmIo(cache: DiskCache | undefined, format: DiskImageFormat): DiskIo | undefined {
  if (cache !== 'none') return undefined;
  return format === 'raw' ? 'native' : 'threads';
}

/**
 * A VM's own declarations that need HVM (UEFI firmware, Secure Boot, Windows) come before the fleet's
 * default guest type: PV and PVH have no such firmware (xl.cfg(5)) and Windows boots only as HVM.
 */
function needsHvm(vm: Vm): boolean {
  return vm.firmware === 'uefi' || vm.secureBoot || vm.os === 'windows';
}

function xenGuestType(fleet: Fleet, index: FleetIndex, vm: Vm): XenGuestType {
  if (vm.guestType) return vm.guestType;
  if (needsHvm(vm)) return 'hvm';
  if (fleet.defaults.xen.vm.guestType) return fleet.defaults.xen.vm.guestType;
  // PVH has no firmware: UEFI guests, and images whose kernel cannot boot PVH, run as HVM.
  if ((vm.firmware ?? fleet.defaults.xen.vm.firmware) === 'uefi') return 'hvm';
  const osImage = imageOf(index, vm.disks.find((d) => !d.data)?.image);
  return osImage && !osImage.pvhCapable ? 'hvm' : 'pvh';
}

/** Block devices are raw; a file's format follows its name as for base images. */
function pathFormat(path: string): DiskFormat {
  return path.startsWith('/dev/') ? 'raw' : imagePathFormat(path);
}

/**
 * The bus of a CD-ROM that names none. KVM: IDE where the machine has a built-in IDE controller (i440FX),
 * SATA on other x86 machines (q35 has AHCI and no IDE), SCSI (virtio-scsi) on the other architectures,
 * which have neither. Xen HVM: an emulated IDE CD-ROM (hdX). Xen PV/PVH have no emulated CD-ROM
 * (XEN-CDROM-NOT-HVM); they get the PV bus so the error names the disk rather than a bus.
 */
function defaultCdromBus(hypervisor: Hypervisor, arch: VmArch, machine: string, guestType: XenGuestType | undefined): DiskBus {
  if (hypervisor === 'xen') return guestType === 'hvm' ? 'ide' : 'xen';
  if (!isX86(arch)) return 'scsi';
  return hasBuiltinIde(machine) ? 'ide' : 'sata';
}

interface DiskContext {
  readonly hypervisor: Hypervisor;
  readonly arch: VmArch;
  readonly machine: string;
  readonly guestType?: XenGuestType;
}

/** The bus of `disk`: declared, else the one its device name implies, else its device's default, else the fleet's. */
function diskBus(disk: Disk, at: DiskContext, defaultBus: DiskBus): DiskBus {
  return (
    disk.bus ??
    (disk.target === undefined ? undefined : busOfTarget(disk.target)) ??
    // libvirt puts a floppy without bus on the floppy controller (domain_postparse.c, virDomainDiskDefPostParse).
    // A LUN is SCSI passthrough: virtio-scsi (QEMU has none on virtio-blk since 5.0).
    (disk.device === 'floppy'
      ? 'fdc'
      : disk.device === 'lun'
      ? 'scsi'
      : disk.device === 'cdrom'
      ? defaultCdromBus(at.hypervisor, at.arch, at.machine, at.guestType)
      : defaultBus)
  );
}

/**
 * The effective disks of a VM. Most VMs have one disk, which takes the first name of its bus (`vda`,
 * `xvda`): it is made without the lists of buses and names (and their closures) that several disks need.
 */
function disksFor(fleet: Fleet, index: FleetIndex, vm: Vm, at: DiskContext): EffectiveDisk[] {
  const defaults = fleet.defaults[at.hypervisor].vm;
  const defaultBus = defaults.diskBus ?? (at.hypervisor === 'kvm' ? KVM_DEFAULT_DISK_BUS : XEN_DEFAULT_DISK_BUS);
  const { disks } = vm;
  if (disks.length === 1 && disks[0]!.target === undefined) {
    const bus = diskBus(disks[0]!, at, defaultBus);
    return [effectiveDisk(index, defaults, at.hypervisor, disks[0]!, 0, bus, deviceName(DISK_DEVICE_PREFIX[bus], 0))];
  }
  const buses: DiskBus[] = [];
  for (const disk of disks) buses.push(diskBus(disk, at, defaultBus));
  const targets = diskDeviceNames(disks.map((disk, i) => ({ bus: buses[i]!, target: disk.target })));
  const effective: EffectiveDisk[] = [];
  for (let i = 0; i < disks.length; i += 1) effective.push(effectiveDisk(index, defaults, at.hypervisor, disks[i]!, i, buses[i]!, targets[i]));
  return effective;
}

function effectiveDisk(index: FleetIndex, defaults: VmDefaults, hypervisor: Hypervisor, disk: Disk, position: number, bus: DiskBus, target: string | undefined): EffectiveDisk {
  const cdrom = disk.device === 'cdrom';
  const removable = isRemovable(disk.device);
  // A CD-ROM or floppy keeps libvirt's own cache and I/O modes unless the fleet names them: removable media, not the VM's data.
  const cache = disk.cache ?? (removable ? undefined : (defaults.diskCache ?? (hypervisor === 'kvm' ? KVM_DEFAULT_DISK_CACHE : undefined)));
  const image = imageOf(index, disk.image);
  const poolType = disk.pool === undefined ? undefined : index.storagePools.get(disk.pool)?.type;
  const rawOnly = poolType !== undefined && RAW_ONLY_POOL_TYPES.has(poolType);
  const pathType = disk.path === undefined ? undefined : (disk.pathType ?? defaultPathType(disk.path));
  const format =
    disk.format ??
    image?.format ??
    // A directory is QEMU's virtual FAT disk (qemu_domain.c, qemuDomainValidateStorageSource).
    (pathType === 'dir' ? 'fat' : undefined) ??
    (removable || disk.device === 'lun' || disk.network !== undefined || rawOnly ? 'raw' : disk.path !== undefined ? pathFormat(disk.path) : 'qcow2');
  // The I/O mode is a setting of host files and block devices; QEMU's network drivers (rbd, iscsi, nbd) have their own.
  const io = disk.io ?? (hypervisor === 'kvm' && !removable && disk.network === undefined ? defaultKvmIo(cache, format) : undefined);
  // QEMU is KVM's only disk driver. On Xen a driver-less disk is read as raw, so every other format
  // names qemu; a raw disk leaves the backend (phy or qdisk) to libxl, except a network disk, which
  // libxl serves through qemu only (libxl_conf.c, libxlMakeDisk).
  const driverName = hypervisor === 'kvm' || format !== 'raw' || disk.network !== undefined ? QEMU_DISK_DRIVER : undefined;
  // The keys every disk has in one literal, the optional ones added after: see `Mutable`.
  const effective: Mutable<EffectiveDisk> = {
    index: position,
    // The loader rejects more than DEVICE_LETTERS disks per prefix (fleet/synthesis-checks.ts).
    target: target ?? `${DISK_DEVICE_PREFIX[bus]}?`,
    bus,
    device: disk.device ?? 'disk',
    readonly: cdrom || disk.readonly === true,
    format,
    sizeMiB: disk.sizeMiB,
    data: disk.data,
    preventDestroy: disk.data && disk.preventDestroy !== false,
  };
  if (cache) effective.cache = cache;
  if (io) effective.io = io;
  if (driverName) effective.driverName = driverName;
  if (disk.sizeKiB !== undefined) effective.sizeKiB = disk.sizeKiB;
  if (disk.pool !== undefined) effective.pool = disk.pool;
  if (disk.volume) effective.volume = disk.volume;
  if (disk.path) effective.path = disk.path;
  if (pathType) effective.pathType = pathType;
  if (disk.startupPolicy) effective.startupPolicy = disk.startupPolicy;
  if (disk.volumeMode) effective.volumeMode = disk.volumeMode;
  if (disk.network) effective.network = disk.network;
  if (image) effective.imageSource = image.source;
  return effective;
}

/**
 * The model a NIC gets when the fleet names none: virtio on KVM, netfront on Xen PV/PVH, and on Xen HVM
 * no model, i.e. libxl's emulated NIC plus the PV path (VIF_IOEMU), so a guest without PV drivers
 * (Windows before they are installed) still has a network; netfront on HVM would be PV-only.
 */
function defaultNicModel(hypervisor: Hypervisor, guestType: XenGuestType | undefined): string | undefined {
  if (hypervisor === 'kvm') return KVM_DEFAULT_NIC_MODEL;
  return guestType === 'hvm' ? undefined : XEN_DEFAULT_NIC_MODEL;
}

function nicsFor(fleet: Fleet, index: FleetIndex, vm: Vm, hypervisor: Hypervisor, guestType: XenGuestType | undefined): EffectiveNic[] {
  const fallback = fleet.defaults[hypervisor].vm.nicModel ?? defaultNicModel(hypervisor, guestType);
  const { networks } = index;
  return vm.networks.map((nic, position) => {
    const model = nic.model ?? fallback;
    const type = nic.type ?? 'network';
    // vhost-net serves tap devices (network, ethernet, macvtap); user-mode networking runs in QEMU (or passt).
    const virtio = hypervisor === 'kvm' && model === 'virtio' && type !== 'user';
    const queues = nic.queues ?? (virtio && vm.workload === 'network-heavy' && vm.vcpus > 1 ? vm.vcpus : undefined);
    // The keys every NIC has in one literal, the optional ones added after: see `Mutable`.
    const effective: Mutable<EffectiveNic> = { index: position, type, vhost: virtio };
    if (nic.network !== undefined) effective.network = nic.network;
    const network = nic.network === undefined ? undefined : networks.get(nic.network);
    if (network?.libvirtNetwork === false && network.bridge !== undefined) effective.hostBridge = network.bridge;
    if (nic.dev !== undefined) effective.dev = nic.dev;
    if (nic.mode !== undefined) effective.mode = nic.mode;
    if (nic.portgroup !== undefined) effective.portgroup = nic.portgroup;
    if (nic.pci !== undefined) effective.pci = pciAddress(nic.pci);
    if (nic.address !== undefined) effective.address = nic.address;
    if (nic.port !== undefined) effective.port = nic.port;
    if (nic.local !== undefined) effective.local = nic.local;
    if (nic.backend !== undefined) effective.backend = nic.backend;
    if (nic.target !== undefined) effective.target = nic.target;
    if (model) effective.model = model;
    if (nic.mac) effective.mac = nic.mac;
    if (queues) effective.queues = queues;
    return effective;
  });
}

/**
 * The effective VMs made so far, per fleet and hypervisor: `synth` checks the policies and then builds the
 * stacks from the same 20,000 effective VMs instead of making them twice. The second cache of the code
 * base beside `fleetIndex`, for the same reason it is safe: a `Fleet` and its VMs are immutable.
 */
const effectiveVms = new WeakMap<Fleet, Record<Hypervisor, WeakMap<Vm, EffectiveVm>>>();

/**
 * Concrete settings of `vm` (a VM of `fleet`) when it runs on a `hypervisor` host; made once per fleet,
 * VM and hypervisor (the fleet and its VMs are immutable), so every caller shares one object.
 */
export function effectiveVm(fleet: Fleet, vm: Vm, hypervisor: Hypervisor): EffectiveVm {
  let byHypervisor = effectiveVms.get(fleet);
  if (byHypervisor === undefined) {
    byHypervisor = { kvm: new WeakMap(), xen: new WeakMap() };
    effectiveVms.set(fleet, byHypervisor);
  }
  const made = byHypervisor[hypervisor];
  let effective = made.get(vm);
  if (effective === undefined) {
    effective = makeEffectiveVm(fleet, vm, hypervisor);
    made.set(vm, effective);
  }
  return effective;
}

function makeEffectiveVm(fleet: Fleet, vm: Vm, hypervisor: Hypervisor): EffectiveVm {
  // Looked up once per VM and passed down rather than by every part that needs a pool, image or network.
  const index = fleetIndex(fleet);
  const defaults = fleet.defaults[hypervisor].vm;
  const firmware = vm.firmware ?? defaults.firmware ?? (vm.secureBoot ? 'uefi' : 'bios');
  const sensitive = vm.securityClass !== 'general';
  const windows = vm.os === 'windows';
  const arch = vm.arch ?? DEFAULT_ARCH;
  const hostdevs = vm.hostdevs.length === 0 ? NONE : vm.hostdevs.map(pciAddress);
  let effective: Mutable<EffectiveVm>;
  if (hypervisor === 'kvm') {
    // `defaults.kvm.vm.machine` names an x86 machine; the other architectures get their own default.
    const machine = vm.machine ?? (isX86(arch) ? (defaults.machine ?? KVM_DEFAULT_MACHINE) : KVM_ARCH_DEFAULT_MACHINE[arch]);
    // The keys every KVM VM has in one literal, the optional ones added after: see `Mutable`.
    effective = {
      vm,
      hypervisor,
      domainType: hypervisor,
      arch,
      balloon: vm.balloon ?? true,
      hostdevs,
      osType: 'hvm',
      machine,
      disks: disksFor(fleet, index, vm, { hypervisor, arch, machine }),
      firmware,
      // UEFI guests of sensitive or isolated class boot with Secure Boot unless the fleet says otherwise.
      secureBoot: vm.secureBoot || (firmware === 'uefi' && sensitive),
      cpu: kvmCpu(fleet, index, vm),
      nics: nicsFor(fleet, index, vm, hypervisor, undefined),
      rng: vm.rng ?? true,
      console: vm.console === false ? 'none' : 'serial',
      viridian: false,
      hyperv: windows ? KVM_WINDOWS_HYPERV : NONE,
    };
    if (vm.kernel) effective.kernel = vm.kernel;
    if (vm.numa !== 'none') effective.numaMode = vm.numa;
    if (vm.hugepages) effective.hugepages = vm.hugepageSizeKiB === undefined ? {} : { sizeKiB: vm.hugepageSizeKiB };
    // A declared clock (an imported domain's) is the VM's own: it replaces the Windows default.
    if (vm.clock) effective.clock = declaredClock(vm.clock);
    else if (windows) effective.clock = { offset: 'localtime', timers: KVM_WINDOWS_TIMERS };
  } else {
    const guestType = xenGuestType(fleet, index, vm);
    // Viridian and the clock are HVM settings; Windows on PV/PVH is XEN-WINDOWS-NOT-HVM's error instead.
    const windowsHvm = windows && guestType === 'hvm';
    const { osType, machine: xenMachine } = XEN_MACHINE[guestType];
    const kernel = vm.kernel ?? (guestType === 'pvh' && !vm.bootloader ? XEN_PVH_GRUB : undefined);
    const machine = vm.machine ?? xenMachine;
    // The keys every Xen VM has in one literal, the optional ones added after: see `Mutable`.
    effective = {
      vm,
      hypervisor,
      domainType: hypervisor,
      arch,
      balloon: vm.balloon ?? true,
      hostdevs,
      osType,
      machine,
      disks: disksFor(fleet, index, vm, { hypervisor, arch, machine, guestType }),
      guestType,
      firmware: guestType === 'hvm' ? firmware : 'bios',
      secureBoot: guestType === 'hvm' && vm.secureBoot,
      nics: nicsFor(fleet, index, vm, hypervisor, guestType),
      rng: false,
      console: vm.console === false ? 'none' : 'xen',
      viridian: windowsHvm,
      hyperv: NONE,
    };
    const declaredXenCpu = declaredCpu(vm);
    if (declaredXenCpu) effective.cpu = declaredXenCpu;
    if (kernel) effective.kernel = kernel;
    if (vm.bootloader) effective.bootloader = vm.bootloader;
    else if (guestType === 'pv' && !kernel) effective.bootloader = 'pygrub';
    if (vm.clock) effective.clock = declaredClock(vm.clock);
    else if (windowsHvm) effective.clock = { offset: 'localtime', timers: [] };
  }
  if (vm.os) effective.os = vm.os;
  if (vm.graphics) effective.graphics = vm.graphics;
  if (vm.cmdline) effective.cmdline = vm.cmdline;
  if (vm.initrd) effective.initrd = vm.initrd;
  return effective;
}

/**
 * The bus of a VM's cloud-init seed: a SATA CD-ROM on KVM (q35 has no IDE), an IDE CD-ROM on Xen HVM, and
 * a read-only PV disk on Xen PV/PVH, which have no emulated CD-ROM.
 */
export function cloudInitSeedBus(effective: Pick<EffectiveVm, 'hypervisor' | 'guestType' | 'arch'>): DiskBus {
  // Only x86 machines have SATA; the other architectures take the seed as a virtio-scsi CD-ROM.
  if (effective.hypervisor === 'kvm') return isX86(effective.arch) ? 'sata' : 'scsi';
  return effective.guestType === 'hvm' ? 'ide' : 'xen';
}

/** First device name on the seed's bus the VM's own disks leave free; undefined when none is. */
export function cloudInitSeedDevice(effective: EffectiveVm): string | undefined {
  const prefix = DISK_DEVICE_PREFIX[cloudInitSeedBus(effective)];
  const used = new Set(effective.disks.map((d) => d.target));
  for (let letter = 0; letter < DEVICE_LETTERS; letter += 1) {
    const dev = deviceName(prefix, letter)!;
    if (!used.has(dev)) return dev;
  }
  return undefined;
}
