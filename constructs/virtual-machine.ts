/**
 * A VM on one host: a `libvirt_domain` plus its volumes (OS disk as a qcow2 overlay on the host's base
 * image, data disks protected against destroy) and, when asked, a cloud-init seed. It renders the
 * decisions of `effectiveVm()` (machine, CPU, buses, cache/io, NIC model, queues …) and decides nothing
 * itself beyond how libvirt spells them.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from './cdk-engine';
import {
  cloudInitSeedBus, cloudInitSeedDevice, DISK_DEVICE_PREFIX, type EffectiveDisk, type EffectiveNic, type EffectiveVm, type HypervFeature,
} from '../fleet/effective-vm';
import type { CloudInit as CloudInitSpec, DiskBus, DiskFormat } from '../fleet/model';
import { CloudInit } from './cloud-init';
import { CompactDomain, type CompactDomainConfig } from './compact';
import { assignedByQemuDriver, isQemuDriverUri } from './qemu-read-back';
import type { HostResources } from './host-provider';
import {
  Volume,
  type DomainClock,
  type DomainDevicesDisks,
  type DomainDevicesDisksSource,
  type DomainDevicesInterfacesSource,
  type DomainDevicesGraphics,
  type DomainDevicesInterfaces,
  type DomainFeatures,
  type DomainMemoryBackingMemoryHugePages,
  type DomainFeaturesHyperV,
  type DomainOs,
} from './libvirt-bindings';
import { checkProps, type PropCheck } from './prop-checks';
import { SecretVariables } from './secret-variables';
import { named } from './terraform-id';
import { HOST_ADDRESS_PARTS, LIBVIRT_NAMES } from '../fleet/terraform-names';
import { createsVolume } from '../fleet/guest-devices';

export interface VirtualMachineProps {
  /** The VM's concrete settings for the host's hypervisor (`effectiveVm(fleet, vm, host.hypervisor)`). */
  readonly effective: EffectiveVm;
  /** The host the planner put the VM on: its provider, pools, networks and base images. */
  readonly host: HostResources;
  /** Cloud-init seed to attach. @default - `effective.vm.cloudInit`; none when the VM declares none */
  readonly cloudInit?: CloudInitSpec;
  /** Start the domain once it is defined. @default - `effective.vm.running`, else true */
  readonly running?: boolean;
}

const BYTES_PER_KIB = 1024;
const BYTES_PER_MIB = 1024 * BYTES_PER_KIB;
const KIB_PER_MIB = 1024;
const FILE_EXTENSION: Readonly<Record<DiskFormat, string>> = { qcow2: 'qcow2', raw: 'img' };
/** The format of a volume hyperplan creates: qcow2 or raw; the other formats are for existing disks. */
const isCreatedFormat = (format: string): format is DiskFormat => format in FILE_EXTENSION;
/** libvirt's Hyper-V element names → the provider's attribute names. */
const HYPERV_ATTRIBUTE: Readonly<Record<HypervFeature, keyof DomainFeaturesHyperV>> = {
  relaxed: 'relaxed',
  vapic: 'vapic',
  vpindex: 'vpIndex',
  runtime: 'runtime',
  synic: 'synic',
  reset: 'reset',
  frequencies: 'frequencies',
  ipi: 'ipi',
};
/**
 * Secure Boot with Microsoft's keys enrolled, as libvirt's firmware autoselection names it, in the order
 * libvirt reports them back: the provider reads the list in that order, and any other order makes
 * `terraform apply` fail with "inconsistent result after apply" (found end to end).
 */
const SECURE_BOOT_FIRMWARE_FEATURES = [
  { name: 'enrolled-keys', enabled: 'yes' },
  { name: 'secure-boot', enabled: 'yes' },
];
/** Chardev source of serial and Xen consoles; see the devices block below. */
const PTY = { pty: { path: '' } };

const CHECKS: readonly PropCheck<VirtualMachineProps>[] = [
  {
    fails: (p) => p.effective.hypervisor !== p.host.hypervisor,
    message: (p) =>
      `vm '${p.effective.vm.name}' was resolved for ${p.effective.hypervisor} but host '${p.host.hostName}' is ${p.host.hypervisor}; ` +
      'pass effectiveVm(fleet, vm, host.hypervisor)',
  },
  {
    fails: (p) => !Number.isInteger(p.effective.vm.vcpus) || p.effective.vm.vcpus < 1,
    message: (p) => `vm '${p.effective.vm.name}' has vcpus ${p.effective.vm.vcpus}; expected a whole number ≥ 1`,
  },
  {
    fails: (p) => !(p.effective.vm.memoryMiB > 0),
    message: (p) => `vm '${p.effective.vm.name}' has memory ${p.effective.vm.memoryMiB} MiB; expected more than 0`,
  },
  {
    fails: (p) => (p.cloudInit ?? p.effective.vm.cloudInit) !== undefined && p.effective.disks.length === 0,
    message: (p) => `vm '${p.effective.vm.name}' has cloudInit but no disks; the seed volume goes into the OS disk's pool, so add a disk`,
  },
  {
    fails: (p) => (p.cloudInit ?? p.effective.vm.cloudInit) !== undefined && p.effective.disks.length > 0 && p.effective.disks[0]!.pool === undefined,
    message: (p) => `vm '${p.effective.vm.name}' has cloudInit but its first disk is in no pool; the seed volume goes into the OS disk's pool, so put the first disk in one`,
  },
  {
    fails: (p) => (p.cloudInit ?? p.effective.vm.cloudInit) !== undefined && cloudInitSeedDevice(p.effective) === undefined,
    message: (p) => `vm '${p.effective.vm.name}' uses every ${DISK_DEVICE_PREFIX[cloudInitSeedBus(p.effective)]}* device name; the cloud-init seed needs one`,
  },
  {
    fails: (p) => p.effective.disks.some((disk) => createsVolume(disk) && !isCreatedFormat(disk.format)),
    message: (p) => {
      const disk = p.effective.disks.find((d) => createsVolume(d) && !isCreatedFormat(d.format))!;
      return `vm '${p.effective.vm.name}' disk ${disk.index} is a volume hyperplan creates, in format ${disk.format}; created volumes are ${Object.keys(FILE_EXTENSION).join(' or ')}`;
    },
  },
];

/**
 * How the seed is attached: a SATA CD-ROM on KVM (q35 has no IDE), an IDE CD-ROM on Xen HVM, and a
 * read-only PV disk on Xen PV/PVH, which have no emulated CD-ROM; cloud-init finds the seed by its
 * `cidata` label on any block device.
 */
function seedAttachment(effective: EffectiveVm): Pick<DomainDevicesDisks, 'device' | 'readOnly'> & { bus: DiskBus } {
  const bus = cloudInitSeedBus(effective);
  return bus === 'xen' ? { device: 'disk', bus, readOnly: true } : { device: 'cdrom', bus };
}

/**
 * `memory`/`currentMemory` with their unit: whole MiB as MiB (the bytes synthesized before exact sizes
 * existed), any other size in KiB, libvirt's own unit, so an imported `1048577KiB` stays exact.
 */
function memorySize<K extends 'memory' | 'currentMemory'>(key: K, kib: number): Record<K, number> & Record<`${K}Unit`, string> {
  const whole = kib % KIB_PER_MIB === 0;
  return { [key]: whole ? kib / KIB_PER_MIB : kib, [`${key}Unit`]: whole ? 'MiB' : 'KiB' } as Record<K, number> & Record<`${K}Unit`, string>;
}

/**
 * Where a disk's data is, as the provider's disk source union (its branch is libvirt's `<disk type>`):
 * the volume created for it, an existing volume by pool and name, a host file, block device or
 * directory, or a network server; an empty CD-ROM tray has none. The startup policy sits on `<source>`.
 */
function diskSource(disk: EffectiveDisk, created: Volume | undefined, host: HostResources): DomainDevicesDisksSource | undefined {
  const located = sourceBranch(disk, created, host);
  return located && disk.startupPolicy ? { ...located, startupPolicy: disk.startupPolicy } : located;
}

function sourceBranch(disk: EffectiveDisk, created: Volume | undefined, host: HostResources): DomainDevicesDisksSource | undefined {
  if (created) return { volume: { pool: created.pool, volume: created.name } };
  if (disk.volume !== undefined) return { volume: { pool: host.pool(disk.pool!).name, volume: disk.volume, ...(disk.volumeMode ? { mode: disk.volumeMode } : {}) } };
  if (disk.path !== undefined) {
    if (disk.pathType === 'dir') return { dir: { dir: disk.path } };
    return disk.pathType === 'block' ? { block: { dev: disk.path } } : { file: { file: disk.path } };
  }
  const network = disk.network;
  if (network === undefined) return undefined;
  const secret = network.auth?.secret;
  return {
    network: {
      protocol: network.protocol,
      ...(network.name === undefined ? {} : { name: network.name }),
      ...(network.query === undefined ? {} : { query: network.query }),
      // libvirt's tri-state attribute: yes / no, or left to qemu.conf.
      ...(network.tls === undefined ? {} : { tls: network.tls ? 'yes' : 'no' }),
      ...(network.tlsHostname === undefined ? {} : { tlsHostname: network.tlsHostname }),
      // The provider types the port as a string (libvirt's XML attribute); a UNIX socket is transport unix.
      ...(network.hosts.length === 0
        ? {}
        : {
            hosts: network.hosts.map((h) =>
              h.socket !== undefined ? { transport: 'unix', socket: h.socket } : { name: h.host, ...(h.port === undefined ? {} : { port: String(h.port) }) },
            ),
          }),
      ...(network.auth && secret
        ? {
            auth: {
              username: network.auth.username,
              secret: { type: secret.type, ...(secret.usage ? { usage: secret.usage } : {}), ...(secret.uuid ? { uuid: secret.uuid } : {}) },
            },
          }
        : {}),
    },
  };
}

export class VirtualMachine extends Construct {
  readonly domain: CompactDomain;
  /** The volumes created for the VM's disks; disks on existing LUNs (`volume:`) have none. */
  readonly volumes: readonly Volume[];
  readonly cloudInit?: CloudInit;
  /** How many disks the domain has (the cloud-init seed included), for `assignedByLibvirt`. */
  readonly #diskCount: number;
  readonly #nics: readonly EffectiveNic[];

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    super(scope, id);
    checkProps(this.node.path, props, CHECKS);
    const { effective, host } = props;
    const { vm } = effective;
    const kvm = effective.hypervisor === 'kvm';

    const created = effective.disks.map((disk) => (createsVolume(disk) ? this.volume(disk, props) : undefined));
    this.volumes = created.filter((volume): volume is Volume => volume !== undefined);
    const disks: DomainDevicesDisks[] = effective.disks.map((disk, index) => {
      const source = diskSource(disk, created[index], host);
      return {
        // libvirt marks a CD-ROM read-only itself (as for the cloud-init seed below).
        ...(disk.device === 'disk' ? {} : { device: disk.device }),
        ...(disk.readonly && disk.device !== 'cdrom' ? { readOnly: true } : {}),
        ...(source ? { source } : {}),
        target: { dev: disk.target, bus: disk.bus },
        // effectiveVm names the driver: qemu on KVM and for non-raw files on Xen (libxl reads a driver-less disk as raw).
        driver: {
          ...(disk.driverName ? { name: disk.driverName } : {}),
          type: disk.format,
          // `default` is libvirt's own mode: named, libvirt would not format cache='default' back
          // (its enum's 0 value) and the provider would read a change; the RelaxNG schema has no io='default'.
          ...(disk.cache && disk.cache !== 'default' ? { cache: disk.cache } : {}),
          ...(disk.io && disk.io !== 'default' ? { io: disk.io } : {}),
        },
      };
    });

    const cloudInitSpec = props.cloudInit ?? vm.cloudInit;
    if (cloudInitSpec) {
      const osPool = effective.disks[0]!.pool;
      this.cloudInit = new CloudInit(this, 'cloud-init', {
        vmName: vm.name,
        cloudInit: cloudInitSpec,
        pool: host.pool(osPool!).name,
        provider: host.provider,
        hostName: host.hostName,
      });
      const { bus, ...attachment } = seedAttachment(effective);
      disks.push({
        ...attachment,
        source: { volume: { pool: this.cloudInit.volume.pool, volume: this.cloudInit.volume.name } },
        target: { dev: cloudInitSeedDevice(effective)!, bus },
        driver: { ...(kvm ? { name: 'qemu' } : {}), type: 'raw' },
      });
    }

    const config: CompactDomainConfig = {
      provider: host.provider,
      name: vm.name,
      type: effective.domainType,
      ...memorySize('memory', vm.memoryKiB ?? vm.memoryMiB * KIB_PER_MIB),
      ...(vm.currentMemoryKiB === undefined ? {} : memorySize('currentMemory', vm.currentMemoryKiB)),
      vcpu: vm.vcpus,
      autostart: vm.autostart,
      ...(vm.onPoweroff ? { onPoweroff: vm.onPoweroff } : {}),
      ...(vm.onReboot ? { onReboot: vm.onReboot } : {}),
      ...(vm.onCrash ? { onCrash: vm.onCrash } : {}),
      running: props.running ?? vm.running ?? true,
      os: this.os(effective),
      ...(effective.bootloader ? { bootloader: effective.bootloader } : {}),
      ...(effective.cpu ? { cpu: { mode: effective.cpu.mode, ...(effective.cpu.model ? { model: effective.cpu.model } : {}) } } : {}),
      ...(effective.osType === 'hvm' ? { features: this.features(effective) } : {}),
      ...(effective.hugepages ? { memoryBacking: { memoryHugePages: this.hugepages(effective.hugepages.sizeKiB) } } : {}),
      // libvirt picks the node with numad (placement auto) and binds the guest's memory (numatune) and
      // vCPUs (vcpu placement) to it; the planner checked that the VM fits one node's physical size.
      ...(effective.numaMode ? { numaTune: { memory: { mode: effective.numaMode, placement: 'auto' } }, vcpuPlacement: 'auto' } : {}),
      ...(vm.vcpuPlacement ? { vcpuPlacement: vm.vcpuPlacement } : {}),
      ...(effective.clock ? { clock: this.clock(effective) } : {}),
      ...(host.guestCpuset !== undefined ? this.pinning(vm.vcpus, host.guestCpuset) : {}),
      // The VM's own cpuset bounds the domain's vCPUs; a pinned Dom0's per-vCPU pins (above) still apply.
      ...(vm.cpuset ? { vcpuCpuset: vm.cpuset } : {}),
      devices: {
        disks,
        interfaces: effective.nics.map((nic) => this.nic(nic, host)),
        ...(effective.rng ? { rngs: [{ model: 'virtio', backend: { random: '/dev/urandom' } }] } : {}),
        // libxl knows only the Xen balloon (it is always there); on KVM `none` removes the device.
        memBalloon: { model: kvm ? (effective.balloon ? 'virtio' : 'none') : 'xen' },
        // A pty chardev (`virsh console`). The schema requires a pty path, but libvirt allocates it when
        // the domain starts; the empty path is omitted from the XML (libvirtxml `omitempty`), leaving
        // `<console type='pty'>`. Without any source libvirt's parser also picks a pty, but the RelaxNG
        // schema (define --validate) rejects a console without a type.
        ...(effective.console === 'serial'
          ? { serials: [{ source: PTY, target: { port: 0 } }], consoles: [{ source: PTY, target: { type: 'serial', port: 0 } }] }
          : effective.console === 'xen'
            ? { consoles: [{ source: PTY, target: { type: 'xen', port: 0 } }] }
            : {}),
        ...(effective.graphics ? { graphics: [this.graphics(effective)] } : {}),
        // managed: libvirt detaches the device from its host driver while the guest runs.
        ...(effective.hostdevs.length > 0
          ? { hostdevs: effective.hostdevs.map((address) => ({ managed: true, subsysPci: { source: { address: { ...address } } } })) }
          : {}),
      },
    };
    this.domain = named(new CompactDomain(this, 'domain', config), host.hostName, ...HOST_ADDRESS_PARTS.domain(vm.name));
    this.#diskCount = disks.length;
    this.#nics = effective.nics;
  }

  /**
   * What libvirt assigns itself and the provider reads into state once the domain is imported, as paths
   * of `lifecycle.ignore_changes` (see `adopt`). Made when asked: only adoption needs it, and a fleet's
   * stacks hold every VM until written.
   */
  #assignedByLibvirt(): string[] {
    return [
      'devices.controllers',
      ...Array.from({ length: this.#diskCount }, (_, index) => `devices.disks[${index}].address`),
      ...this.#nics.flatMap((nic, index) => [
        `devices.interfaces[${index}].address`,
        ...(nic.target === undefined && nic.type !== 'user' ? [`devices.interfaces[${index}].target`] : []),
      ]),
    ];
  }

  /**
   * Adopts the existing domain `uuid` (a Terraform `import` block) and renders the domain as provider
   * v0.9.7 reads it back after import (CompactDomain.renderAsReadBackAfterImport), so the first plan
   * changes nothing. Some of what the import reads is not configuration but what libvirt assigns itself,
   * as for a newly created domain whose configuration has none of it either; its changes are ignored:
   * - the controllers libvirt adds for the devices present (the SATA controller of a SATA disk, found end
   *   to end) and the address it gives each disk and NIC (formatdomain "Device Addresses": "If the
   *   address is omitted, libvirt will generate an appropriate address");
   * - the tap device of a running NIC the fleet names none for (formatdomain "Overriding the target
   *   element": vnet, vif, macvtap and macvlan are reserved prefixes of generated names), read as `target.dev`.
   * On a QEMU-driver host (`uri`), also what that driver assigns itself (qemu-read-back.ts `assignedByQemuDriver`).
   * Returns the ignored attribute paths.
   */
  adopt(uuid: string, provider: TerraformProvider, uri?: string): string[] {
    this.domain.importFrom(uuid, provider);
    const qemuDriver = isQemuDriverUri(uri);
    this.domain.renderAsReadBackAfterImport({ qemuDriver });
    const ignored = [...this.#assignedByLibvirt(), ...(qemuDriver ? assignedByQemuDriver(this.domain.config) : [])];
    this.domain.lifecycle = { ...this.domain.lifecycle, ignoreChanges: [...(this.domain.lifecycle?.ignoreChanges ?? []), ...ignored] };
    return ignored;
  }

  private volume(disk: EffectiveDisk, props: VirtualMachineProps): Volume {
    const { host, effective } = props;
    const vmName = effective.vm.name;
    const pool = host.pool(disk.pool!).name;
    // CHECKS refuses any other format for a created volume.
    const format = isCreatedFormat(disk.format) ? disk.format : 'qcow2';
    const base = {
      provider: host.provider,
      name: LIBVIRT_NAMES.diskVolume(vmName, disk.index, FILE_EXTENSION[format]),
      pool,
      target: { format: { type: format } },
      ...(disk.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    };
    const capacity = disk.sizeKiB === undefined ? disk.sizeMiB * BYTES_PER_MIB : disk.sizeKiB * BYTES_PER_KIB;
    let config;
    if (disk.imageSource && format === 'qcow2') {
      // Copy-on-write overlay: the image is uploaded once per host and pool, the VM writes only its delta.
      const image = host.baseImage(disk.pool!, disk.imageSource, format);
      config = { ...base, capacity, backingStore: { path: image.path, format: { type: format } } };
    } else if (disk.imageSource) {
      // A raw disk cannot have a backing file: the image is uploaded into the VM's own volume, which
      // takes the image's size.
      config = { ...base, create: { content: { url: disk.imageSource } } };
    } else {
      config = { ...base, capacity };
    }
    return named(new Volume(this, `disk${disk.index}`, config), host.hostName, ...HOST_ADDRESS_PARTS.disk(vmName, disk.index));
  }

  /** `<hugepages/>` takes the host's default page size; `<page size unit='KiB'/>` asks for one. */
  private hugepages(sizeKiB: number | undefined): DomainMemoryBackingMemoryHugePages {
    return sizeKiB === undefined ? {} : { hugepages: [{ size: sizeKiB, unit: 'KiB' }] };
  }

  private os(effective: EffectiveVm): DomainOs {
    return {
      type: effective.osType,
      typeArch: effective.arch,
      typeMachine: effective.machine,
      ...(effective.firmware === 'uefi' ? { firmware: 'efi' } : {}),
      // With firmware autoselection libvirt takes Secure Boot as firmware features (formatdomain "BIOS
      // bootloader": <firmware><feature name='secure-boot'/>, since 7.2.0); the provider drops
      // `loader_secure` unless a loader path is given, which autoselection is meant to avoid.
      ...(effective.secureBoot ? { firmwareInfo: { features: SECURE_BOOT_FIRMWARE_FEATURES } } : {}),
      ...(effective.kernel ? { kernel: effective.kernel } : {}),
      ...(effective.initrd ? { initrd: effective.initrd } : {}),
      ...(effective.cmdline ? { cmdline: effective.cmdline } : {}),
      ...(effective.vm.bootDevices ? { bootDevices: effective.vm.bootDevices.map((dev) => ({ dev })) } : {}),
    };
  }

  private features(effective: EffectiveVm): DomainFeatures {
    // Secure Boot on q35 needs SMM so the firmware's variable store cannot be written from the guest.
    const smm = effective.hypervisor === 'kvm' && effective.secureBoot;
    return {
      acpi: true,
      apic: {},
      ...(smm ? { smm: { state: 'on' } } : {}),
      ...(effective.viridian ? { viridian: true } : {}),
      ...(effective.hyperv.length > 0 ? { hyperV: this.hyperv(effective.hyperv) } : {}),
    };
  }

  /** `<hyperv mode='custom'>` with each enlightenment `state='on'` (libvirt requires the state). */
  private hyperv(features: readonly HypervFeature[]): DomainFeaturesHyperV {
    const on = { state: 'on' };
    const hyperv: Record<string, { state: string }> = {};
    for (const feature of features) hyperv[HYPERV_ATTRIBUTE[feature]] = on;
    return { mode: 'custom', ...hyperv };
  }

  private clock(effective: EffectiveVm): DomainClock {
    const clock = effective.clock!;
    return {
      offset: clock.offset,
      // The provider types the adjustment as a string (libvirt's attribute takes seconds or `reset`).
      ...(clock.adjustment !== undefined ? { adjustment: String(clock.adjustment) } : {}),
      ...(clock.basis ? { basis: clock.basis } : {}),
      ...(clock.timezone ? { timeZone: clock.timezone } : {}),
      ...(clock.start !== undefined ? { start: clock.start } : {}),
      ...(clock.timers.length > 0
        ? {
            timer: clock.timers.map((t) => ({
              name: t.name,
              ...(t.tickPolicy ? { tickPolicy: t.tickPolicy } : {}),
              ...(t.catchup ? { catchUp: { ...t.catchup } } : {}),
              ...(t.present ? { present: t.present } : {}),
              ...(t.track ? { track: t.track } : {}),
              ...(t.frequency !== undefined ? { frequency: t.frequency } : {}),
              ...(t.mode ? { mode: t.mode } : {}),
            })),
          }
        : {}),
    };
  }

  /**
   * Keeps every vCPU on `cpuset` (the host's CPUs outside Dom0's pinned ones): `<vcpu cpuset>` for the
   * domain, and a `<vcpupin>` per vCPU because libvirt's libxl driver builds a Xen guest's hard affinity
   * from per-vCPU pins only (libxl_conf.c, libxlSetVcpuAffinities reads each vCPU's cpumask).
   */
  private pinning(vcpus: number, cpuset: string): Pick<CompactDomainConfig, 'vcpuCpuset' | 'cpuTune'> {
    return { vcpuCpuset: cpuset, cpuTune: { vcpuPin: Array.from({ length: vcpus }, (_, vcpu) => ({ vcpu, cpuSet: cpuset })) } };
  }

  private nic(nic: EffectiveNic, host: HostResources): DomainDevicesInterfaces {
    return {
      // libvirt detaches a passed-through network function from its host driver while the guest runs.
      ...(nic.type === 'hostdev' ? { managed: true } : {}),
      source: this.nicSource(nic, host),
      ...(nic.backend ? { backend: { type: nic.backend } } : {}),
      ...(nic.target ? { target: { dev: nic.target } } : {}),
      ...(nic.model ? { model: { type: nic.model } } : {}),
      ...(nic.mac ? { mac: { address: nic.mac } } : {}),
      // No `driver name='vhost'`: on KVM libvirt opens /dev/vhost-net for every virtio NIC that does not ask
      // for `name='qemu'`, and naming vhost only turns a host without vhost-net into a domain that does not
      // start (src/qemu/qemu_interface.c, qemuInterfaceOpenVhostNet: "If the config says explicitly to use
      // vhost and we couldn't open it, report an error"; measured on a host without the module).
      ...(nic.queues ? { driver: { queues: nic.queues } } : {}),
    };
  }

  /** The provider's interface source union: its branch is libvirt's `<interface type>`. */
  private nicSource(nic: EffectiveNic, host: HostResources): DomainDevicesInterfacesSource {
    switch (nic.type) {
      case 'network': {
        if (nic.hostBridge !== undefined) return { bridge: { bridge: nic.hostBridge } };
        const network = host.network(nic.network!);
        const { mode, bridge } = network.network;
        // Bridge-mode networks attach straight to the host bridge; the others through the libvirt network.
        if (mode === 'bridge' && bridge && nic.portgroup === undefined) return { bridge: { bridge } };
        return { network: { network: network.name, ...(nic.portgroup ? { portGroup: nic.portgroup } : {}) } };
      }
      case 'user':
        return { user: nic.dev ? { dev: nic.dev } : {} };
      case 'ethernet':
        return { ethernet: {} };
      case 'direct':
        return { direct: { dev: nic.dev, ...(nic.mode ? { mode: nic.mode } : {}) } };
      case 'hostdev':
        return { hostdev: { pci: { address: { ...nic.pci! } } } };
      case 'vdpa':
        return { vdpa: { device: nic.dev } };
      case 'client':
      case 'server':
      case 'mcast':
      case 'udp': {
        const socket = { ...(nic.address ? { address: nic.address } : {}), port: nic.port, ...(nic.local ? { local: { ...nic.local } } : {}) };
        return { [nic.type]: socket };
      }
    }
  }

  /**
   * Console graphics listening where the fleet says (default 127.0.0.1, reached over an SSH tunnel). A
   * password is the `${var.…}` of its sensitive variable, never the value. Provider 0.9.7 reads the domain
   * back with VIR_DOMAIN_XML_SECURE (internal/provider/domain_resource.go, `DomainGetXMLDesc(...,
   * golibvirt.DomainXMLSecure)`), so the password does not show as drift.
   */
  private graphics(effective: EffectiveVm): DomainDevicesGraphics {
    const graphics = effective.graphics!;
    const passwd = graphics.password ? SecretVariables.of(this).value(graphics.password, `vms[${effective.vm.name}].graphics.password`) : undefined;
    const settings = { autoPort: true, listen: graphics.listen, ...(passwd !== undefined ? { passwd } : {}) };
    return graphics.type === 'spice' ? { spice: settings } : { vnc: settings };
  }
}
