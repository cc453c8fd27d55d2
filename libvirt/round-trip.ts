/**
 * The elements of a domain's XML that hyperplan models, in one comparable shape, so an imported and
 * re-rendered domain can be compared with the original (issue #15: "imported and round-tripped"):
 * domain type, memory and balloon target, vCPUs with their placement and cpuset, the clock (offset and
 * timers), the `<os><boot>` order, architecture, machine, OS type, and per disk its
 * source, device, target, bus, format, cache and I/O modes and authentication, per NIC its type, source, MAC
 * and model, and whether a QEMU/KVM domain has a serial port or console.
 *
 * `withLibvirtDefaults` fills in what libvirt itself assumes for an element a definition leaves out, so
 * that leaving a default out and spelling it out compare equal:
 * - `<vcpu>` missing: 1 (src/conf/domain_conf.c, virDomainVcpuParse); its placement missing: static;
 * - `<clock>` missing: offset utc (formatdomain "Time keeping");
 * - no `<os><boot>` and no device `<boot order>` on an HVM guest: boot from hd (domain_postparse.c,
 *   virDomainDefBootOrderPostParse);
 * - `currentMemory` missing: memory (src/conf/domain_postparse.c, virDomainDefPostParseMemory);
 * - a disk without format: raw (src/qemu/qemu_domain.c, qemuDomainDeviceDiskDefPostParse; src/libxl/
 *   libxl_conf.c, libxlMakeDisk: "default to raw"); a target without bus: the bus of its prefix
 *   (domain_postparse.c, virDomainDiskDefPostParse; a floppy's is fdc); an empty CD-ROM tray has no meaningful type; a
 *   disk without type is a file (src/conf/domain_conf.c, virDomainDiskDefParseSourceXML:
 *   virXMLPropEnumDefault(..., VIR_STORAGE_TYPE_FILE)); a disk's cache or io `default`: none named (the
 *   enums' 0 value, not formatted back: domain_conf.c, virDomainDiskDefFormatDriver);
 * - a KVM NIC without model: qemuDomainDefaultNetModel's; a Xen PV/PVH NIC: netfront (the only one);
 * - a Xen guest without machine: xenfv (HVM), xenpv (PV), xenpvh (PVH), as libxl's capabilities name them;
 *   a QEMU/KVM guest without machine: QEMU's default machine of its architecture (qemu-default-machine.ts).
 */
import { all, first } from './import-support';
import { QEMU_DEFAULT_MACHINE } from './qemu-default-machine';
import { readXml, type XmlNode } from './xml-read';

export interface ModeledDisk {
  readonly type?: string;
  readonly device: string;
  readonly source: Readonly<Record<string, string>>;
  readonly hosts: readonly Readonly<Record<string, string>>[];
  readonly auth?: { readonly username?: string; readonly secret: Readonly<Record<string, string>> };
  readonly target: { readonly dev?: string; readonly bus?: string };
  readonly format?: string;
  readonly cache?: string;
  readonly io?: string;
}

export interface ModeledNic {
  readonly type?: string;
  readonly source: Readonly<Record<string, string>>;
  readonly mac?: string;
  readonly model?: string;
}

export interface ModeledClock {
  readonly attributes: Readonly<Record<string, string>>;
  readonly timers: readonly { readonly attributes: Readonly<Record<string, string>>; readonly catchup?: Readonly<Record<string, string>> }[];
}

export interface ModeledDomain {
  readonly type?: string;
  readonly name?: string;
  readonly memoryKiB?: number;
  readonly currentMemoryKiB?: number;
  readonly vcpu?: string;
  readonly vcpuPlacement?: string;
  readonly cpuset?: string;
  readonly clock?: ModeledClock;
  /** `<os><boot dev>` in order. */
  readonly bootDevices: readonly string[];
  /** Whether any device has its own `<boot order>` (then libvirt adds no `<os><boot>`). */
  readonly deviceBootOrder: boolean;
  readonly arch: string;
  readonly machine?: string;
  readonly osType?: string;
  readonly disks: readonly ModeledDisk[];
  readonly interfaces: readonly ModeledNic[];
  /** QEMU/KVM only: whether the domain has a serial port or console (hyperplan's default is a pty pair). */
  readonly serialConsole?: boolean;
}

/** libvirt's memory units (formatdomain "Memory Allocation"), the ones its test data uses. */
const KIB_PER_UNIT: Readonly<Record<string, number>> = { b: 1 / 1024, bytes: 1 / 1024, KiB: 1, k: 1, K: 1, MiB: 1024, M: 1024, GiB: 1024 ** 2, G: 1024 ** 2, TiB: 1024 ** 3 };
/** An element's attributes in name order: XML attribute order means nothing. */
const attributesOf = (node: XmlNode | undefined, ...ignored: string[]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(node?.attributes ?? {})
      .filter(([name]) => !ignored.includes(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
const kib = (node: XmlNode | undefined): number | undefined =>
  node?.text?.trim() ? Number(node.text.trim()) * (KIB_PER_UNIT[node.attributes.unit ?? 'KiB'] ?? Number.NaN) : undefined;

function numaCellsKiB(domain: XmlNode): number | undefined {
  const cells = all(first(first(domain, 'cpu'), 'numa'), 'cell');
  return cells.length === 0 ? undefined : cells.reduce((sum, cell) => sum + Number(cell.attributes.memory) * (KIB_PER_UNIT[cell.attributes.unit ?? 'KiB'] ?? Number.NaN), 0);
}

/** Attributes in name order: their order in the XML carries no meaning. */
const sorted = (attributes: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function modeledTimer(timer: XmlNode): ModeledClock['timers'][number] {
  const catchup = first(timer, 'catchup');
  return { attributes: sorted(timer.attributes), ...(catchup ? { catchup: sorted(catchup.attributes) } : {}) };
}

/** The modeled elements of a `<domain>`; throws on XML that does not parse. */
export function modeledElements(xml: string): ModeledDomain {
  const read = readXml(xml);
  if (!read.ok) throw new Error(read.error.message);
  const domain = read.root;
  const type = first(first(domain, 'os'), 'type');
  const devices = first(domain, 'devices');
  const clock = first(domain, 'clock');
  return {
    // qemu and kvm domains both run under the QEMU driver, which hyperplan renders as kvm.
    type: domain.attributes.type === 'qemu' ? 'kvm' : domain.attributes.type,
    name: first(domain, 'name')?.text?.trim(),
    // Without <memory>, libvirt's is the NUMA cells' total (formatdomain "Memory Allocation").
    memoryKiB: kib(first(domain, 'memory')) ?? numaCellsKiB(domain),
    currentMemoryKiB: kib(first(domain, 'currentMemory')),
    vcpu: first(domain, 'vcpu')?.text?.trim(),
    vcpuPlacement: first(domain, 'vcpu')?.attributes.placement,
    cpuset: first(domain, 'vcpu')?.attributes.cpuset,
    ...(clock ? { clock: { attributes: sorted(clock.attributes), timers: all(clock, 'timer').map(modeledTimer) } } : {}),
    bootDevices: all(first(domain, 'os'), 'boot').map((b) => b.attributes.dev ?? ''),
    deviceBootOrder: (devices?.children ?? []).some((device) => first(device, 'boot') !== undefined),
    arch: type?.attributes.arch ?? 'x86_64',
    machine: type?.attributes.machine,
    osType: type?.text?.trim(),
    disks: all(devices, 'disk').map((disk) => {
      const source = first(disk, 'source');
      const auth = first(source, 'auth') ?? first(disk, 'auth');
      const target = first(disk, 'target');
      return {
        type: disk.attributes.type,
        device: disk.attributes.device ?? 'disk',
        // `index` numbers the source in a running domain's storage chain: libvirt assigns it and reads
        // it only from live XML (domain_conf.c, virDomainDiskDefParseSourceXML: not with PARSE_INACTIVE).
        source: attributesOf(source, 'index'),
        hosts: all(source, 'host').map((host) => attributesOf(host)),
        ...(auth ? { auth: { username: auth.attributes.username, secret: { ...first(auth, 'secret')?.attributes } } } : {}),
        target: { dev: target?.attributes.dev, bus: target?.attributes.bus },
        format: first(disk, 'driver')?.attributes.type,
        cache: first(disk, 'driver')?.attributes.cache,
        io: first(disk, 'driver')?.attributes.io,
      };
    }),
    interfaces: all(devices, 'interface').map((nic) => ({
      type: nic.attributes.type,
      // A network NIC's portid is the port libvirt allocates when the NIC connects, not configuration.
      source: Object.fromEntries(Object.entries(first(nic, 'source')?.attributes ?? {}).filter(([key]) => !(nic.attributes.type === 'network' && key === 'portid'))),
      mac: first(nic, 'mac')?.attributes.address,
      model: first(nic, 'model')?.attributes.type,
    })),
    ...(domain.attributes.type === 'xen' ? {} : { serialConsole: all(devices, 'serial').length + all(devices, 'console').length > 0 }),
  };
}

const BUS_OF_PREFIX: Readonly<Record<string, string>> = { xvd: 'xen', vd: 'virtio', hd: 'ide', sd: 'scsi' };

/** libvirt src/qemu/qemu_domain.c, qemuDomainDefaultNetModel (rtl8139 where QEMU has it: x86, POWER). */
function qemuDefaultNicModel(arch: string, machine: string | undefined): string {
  const virt = machine === 'virt' || machine?.startsWith('virt-') === true;
  if (arch === 's390x') return 'virtio';
  if ((arch === 'aarch64' || arch === 'riscv64') && virt) return 'virtio';
  if (arch === 'armv7l' || arch === 'armv6l' || arch === 'aarch64') return machine === 'versatilepb' ? 'smc91c111' : 'lan9118';
  return 'rtl8139';
}

/** `domain` with libvirt's defaults filled in where it leaves them out (see the header). */
export function withLibvirtDefaults(domain: ModeledDomain): ModeledDomain {
  const xen = domain.type === 'xen';
  const paravirtual = xen && domain.osType !== 'hvm';
  const xenMachine = domain.osType === 'hvm' ? 'xenfv' : domain.osType === 'xenpvh' ? 'xenpvh' : 'xenpv';
  return {
    ...domain,
    vcpu: domain.vcpu ?? '1',
    vcpuPlacement: domain.vcpuPlacement ?? 'static',
    clock: domain.clock ?? { attributes: { offset: 'utc' }, timers: [] },
    // An HVM guest with neither <os><boot> nor a device's boot order boots from hd (virDomainDefBootOrderPostParse).
    bootDevices: domain.bootDevices.length === 0 && !domain.deviceBootOrder && domain.osType === 'hvm' ? ['hd'] : domain.bootDevices,
    currentMemoryKiB: domain.currentMemoryKiB ?? domain.memoryKiB,
    machine: domain.machine ?? (xen ? xenMachine : domain.type === 'kvm' ? QEMU_DEFAULT_MACHINE[domain.arch] : undefined),
    disks: domain.disks.map((disk) => {
      const emptyTray = Object.keys(disk.source).length === 0 && disk.hosts.length === 0;
      const prefix = /^(xvd|vd|hd|sd)[a-z]+$/.exec(disk.target.dev ?? '')?.[1];
      return {
        ...disk,
        type: emptyTray ? undefined : (disk.type ?? 'file'),
        target: { ...disk.target, bus: disk.target.bus ?? (disk.device === 'floppy' ? 'fdc' : prefix === undefined ? undefined : BUS_OF_PREFIX[prefix]) },
        format: disk.format ?? (disk.type === 'volume' ? undefined : 'raw'),
        // The enums' 0 value, which libvirt does not format back (domain_conf.c, virDomainDiskDefFormatDriver).
        cache: disk.cache === 'default' ? undefined : disk.cache,
        io: disk.io === 'default' ? undefined : disk.io,
      };
    }),
    interfaces: domain.interfaces.map((nic) => ({
      ...nic,
      model: nic.model ?? (paravirtual ? 'netfront' : xen ? undefined : qemuDefaultNicModel(domain.arch, domain.machine)),
    })),
  };
}

/**
 * The modeled keys on which `rendered` differs from `original` (names aside: the import may sanitize them;
 * `<os><boot>` aside where the original boots by device `<boot order>`, which is the devices' own).
 */
export function roundTripDifferences(original: ModeledDomain, rendered: ModeledDomain): (keyof ModeledDomain)[] {
  const a = withLibvirtDefaults(original);
  const b = withLibvirtDefaults(rendered);
  // A device's own <boot order> belongs to that device (disks compare theirs); with one, <os><boot> is not compared.
  const skipped = new Set<string>(['name', 'deviceBootOrder', ...(a.deviceBootOrder ? ['bootDevices'] : [])]);
  const keys = Object.keys(a).filter((key) => !skipped.has(key)) as (keyof ModeledDomain)[];
  return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}
