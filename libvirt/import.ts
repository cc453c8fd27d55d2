/**
 * Import of existing libvirt domain XML into fleet YAML (pure: texts in, a fleet document and located
 * diagnostics out). Every element and attribute of the input is either consumed into the fleet model or
 * reported as dropped, so nothing disappears silently.
 */
import { stringify } from 'yaml';
import { readXml, type XmlNode } from './xml-read';

export type ImportHypervisor = 'kvm' | 'xen';

export interface ImportInput {
  readonly file: string;
  readonly text: string;
}

export interface ImportOptions {
  /** Overrides the hypervisor read from `<domain type>`. */
  readonly hypervisor?: ImportHypervisor;
}

export interface ImportDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly severity: 'warning' | 'error';
  readonly message: string;
}

/** The fleet document the importer writes (fleet file keys, camelCase). */
export interface ImportedFleet {
  readonly apiVersion: 'hyperplan/v1';
  readonly networks: readonly ImportedNetwork[];
  readonly pools: readonly ImportedPool[];
  readonly vms: readonly ImportedVm[];
}

export interface ImportedNetwork {
  readonly name: string;
  readonly mode: 'nat' | 'bridge';
  readonly bridge?: string;
  readonly cidr?: string;
}

export interface ImportedPool {
  readonly name: string;
  readonly type: 'dir' | 'logical';
  readonly path?: string;
  readonly source?: string;
}

export interface ImportedDisk {
  readonly size: string;
  readonly pool: string;
  readonly bus?: string;
  readonly cache?: string;
  readonly io?: string;
  readonly format?: 'qcow2' | 'raw';
}

export type ImportedNic = string | { readonly network: string; readonly model?: string; readonly mac?: string; readonly queues?: number };

export interface ImportedVm {
  readonly name: string;
  readonly vcpus: number;
  readonly memory: string;
  readonly hypervisor: ImportHypervisor;
  readonly guestType?: 'pv' | 'pvh' | 'hvm';
  readonly firmware?: 'bios' | 'uefi';
  readonly secureBoot?: boolean;
  readonly machine?: string;
  readonly cpuMode?: string;
  readonly cpuModel?: string;
  readonly kernel?: string;
  readonly initrd?: string;
  readonly cmdline?: string;
  readonly bootloader?: string;
  readonly disks?: readonly ImportedDisk[];
  readonly networks?: readonly ImportedNic[];
  readonly graphics?: { readonly type: 'vnc' | 'spice'; readonly listen?: string };
  readonly hostdevs?: readonly string[];
  readonly balloon?: boolean;
  readonly rng?: boolean;
}

export interface ImportResult {
  /** Undefined when any input had an error (then nothing is written). */
  readonly fleet?: ImportedFleet;
  readonly diagnostics: readonly ImportDiagnostic[];
}

/**
 * Domain XML has no disk sizes (they live in the volume); a disk gets this size and a warning. 20 GiB
 * is the usual cloud-image root disk: big enough to boot, small enough to notice and correct.
 */
export const PLACEHOLDER_DISK_SIZE = '20GiB';
/** Pool for disk images under libvirt's default directory. */
export const DEFAULT_POOL_PATH = '/var/lib/libvirt/images';
/**
 * A libvirt network's mode and addresses are in the network's own XML, not the domain's. `default` is
 * libvirt's stock NAT network on 192.168.122.0/24; other names get the same assumption and a warning.
 */
export const ASSUMED_NAT_CIDR = '192.168.122.0/24';

const NAME = /^[a-z][a-z0-9_-]{0,62}$/i;
const KIB_PER_UNIT: Readonly<Record<string, number>> = {
  b: 1 / 1024, bytes: 1 / 1024, kb: 1000 / 1024, k: 1, kib: 1, mb: 1e6 / 1024, m: 1024, mib: 1024,
  gb: 1e9 / 1024, g: 1024 ** 2, gib: 1024 ** 2, tb: 1e12 / 1024, t: 1024 ** 3, tib: 1024 ** 3,
};
const DISK_BUSES = new Set(['virtio', 'scsi', 'sata', 'ide', 'xen', 'usb']);
const DISK_CACHES = new Set(['none', 'writethrough', 'writeback', 'directsync', 'unsafe', 'default']);
const DISK_IOS = new Set(['native', 'threads', 'io_uring']);
const CPU_MODES = new Set(['host-model', 'host-passthrough', 'custom', 'maximum']);

/** `name` as a fleet name: lower case, invalid characters to `-`, a letter first, at most 63 characters. */
export function sanitizeName(raw: string, prefix: string): string {
  let name = raw.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = `${prefix}-${name}`.replace(/-+$/, '');
  return name.slice(0, 63);
}

/** Gives out unique names: the first keeps its name, later ones get `-2`, `-3` … */
class NameRegistry {
  readonly #used = new Set<string>();

  claim(base: string): string {
    let candidate = base;
    for (let n = 2; this.#used.has(candidate); n += 1) {
      const suffix = `-${n}`;
      candidate = `${base.slice(0, 63 - suffix.length)}${suffix}`;
    }
    this.#used.add(candidate);
    return candidate;
  }
}

/** Tracks which parts of the input were consumed; the rest is reported. */
class Consumption {
  readonly #nodes = new Map<XmlNode, Set<string>>();

  /** Marks `node` (and the listed attributes, `#text` for its text) as consumed. */
  use(node: XmlNode | undefined, ...parts: string[]): void {
    if (!node) return;
    const used = this.#nodes.get(node) ?? new Set<string>();
    for (const part of parts) used.add(part);
    this.#nodes.set(node, used);
  }

  /** Consumes a node with everything in it. */
  useAll(node: XmlNode | undefined): void {
    if (!node) return;
    this.use(node, ...Object.keys(node.attributes), '#text');
    for (const c of node.children) this.useAll(c);
  }

  dropped(node: XmlNode, path: string, out: Array<{ line: number; path: string }>): void {
    const used = this.#nodes.get(node);
    if (!used) {
      // One warning per dropped subtree; its child elements are named so `features (hyperv)` is findable.
      const inside = [...new Set(node.children.map((c) => c.name))];
      out.push({ line: node.line, path: inside.length > 0 ? `${path} (${inside.join(', ')})` : path });
      return;
    }
    for (const attribute of Object.keys(node.attributes)) if (!used.has(attribute)) out.push({ line: node.line, path: `${path}@${attribute}` });
    if (node.text !== undefined && !used.has('#text')) out.push({ line: node.line, path: `${path}/text()` });
    const counts = new Map<string, number>();
    for (const c of node.children) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const c of node.children) {
      const index = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, index);
      this.dropped(c, `${path}/${c.name}${(counts.get(c.name) ?? 0) > 1 ? `[${index}]` : ''}`, out);
    }
  }
}

function first(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

function all(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** MiB (rounded up) from a libvirt size and unit; undefined when not a size. */
function toMiB(value: string | undefined, unit: string | undefined): { mib: number; exact: boolean } | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const factor = KIB_PER_UNIT[(unit ?? 'KiB').toLowerCase()];
  if (factor === undefined) return undefined;
  const kib = Number(value) * factor;
  const mib = Math.ceil(kib / 1024);
  return { mib, exact: mib * 1024 === kib };
}

function sizeText(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}GiB` : `${mib}MiB`;
}

class Importer {
  readonly diagnostics: ImportDiagnostic[] = [];
  readonly networks = new Map<string, ImportedNetwork>();
  readonly pools = new Map<string, ImportedPool>();
  readonly vms: ImportedVm[] = [];
  readonly #vmNames = new NameRegistry();
  readonly #networkNames = new NameRegistry();
  readonly #poolNames = new NameRegistry();
  /** Identity of a network or pool (`network:default`, `bridge:br0`, `dir:/path`) → its fleet name. */
  readonly #identities = new Map<string, string>();

  constructor(private readonly options: ImportOptions) {}

  warn(file: string, line: number, message: string): void {
    this.diagnostics.push({ file, line, severity: 'warning', message });
  }

  error(file: string, line: number, message: string, column?: number): void {
    this.diagnostics.push({ file, line, ...(column !== undefined ? { column } : {}), severity: 'error', message });
  }

  #network(identity: string, base: string, build: (name: string) => ImportedNetwork): string {
    const known = this.#identities.get(identity);
    if (known) return known;
    const name = this.#networkNames.claim(sanitizeName(base, 'net'));
    this.#identities.set(identity, name);
    this.networks.set(name, build(name));
    return name;
  }

  #pool(identity: string, base: string, build: (name: string) => ImportedPool): string {
    const known = this.#identities.get(identity);
    if (known) return known;
    const name = this.#poolNames.claim(sanitizeName(base, 'pool'));
    this.#identities.set(identity, name);
    this.pools.set(name, build(name));
    return name;
  }

  importFile(input: ImportInput): void {
    const read = readXml(input.text);
    if (!read.ok) {
      this.error(input.file, read.error.line, `malformed XML: ${read.error.message}`, read.error.column);
      return;
    }
    const domain = read.root;
    if (domain.name !== 'domain') {
      this.error(input.file, domain.line, `root element is <${domain.name}>; expected a libvirt <domain>`);
      return;
    }
    const used = new Consumption();
    used.use(domain, 'type');
    const vm = this.#vm(input.file, domain, used);
    if (!vm) return;
    this.vms.push(vm);
    const dropped: Array<{ line: number; path: string }> = [];
    used.dropped(domain, '/domain', dropped);
    for (const d of dropped) this.warn(input.file, d.line, `${d.path} not expressible in the fleet model (dropped)`);
  }

  #hypervisor(file: string, domain: XmlNode): ImportHypervisor | undefined {
    if (this.options.hypervisor) return this.options.hypervisor;
    const type = domain.attributes.type;
    if (type === 'kvm' || type === 'qemu') return 'kvm';
    if (type === 'xen') return 'xen';
    this.error(file, domain.line, `domain type '${type ?? ''}' is neither kvm, qemu nor xen; pass --hypervisor kvm|xen`);
    return undefined;
  }

  #vm(file: string, domain: XmlNode, used: Consumption): ImportedVm | undefined {
    const hypervisor = this.#hypervisor(file, domain);
    const nameNode = first(domain, 'name');
    const rawName = nameNode?.text?.trim();
    if (!rawName) {
      this.error(file, nameNode?.line ?? domain.line, 'domain has no <name>; every VM needs one');
      return undefined;
    }
    const memoryNode = first(domain, 'memory');
    const memory = toMiB(memoryNode?.text, memoryNode?.attributes.unit);
    if (!memoryNode || !memory || memory.mib < 1) {
      this.error(file, memoryNode?.line ?? domain.line, `domain '${rawName}' has no usable <memory> (got '${memoryNode?.text ?? ''}' ${memoryNode?.attributes.unit ?? 'KiB'})`);
      return undefined;
    }
    if (!hypervisor) return undefined;
    used.use(nameNode, '#text');
    const name = this.#vmNames.claim(sanitizeName(rawName, 'vm'));
    if (name !== rawName) this.warn(file, nameNode!.line, `VM '${rawName}' is imported as '${name}' (fleet names: ${NAME.source})`);
    used.use(memoryNode, '#text', 'unit');
    if (!memory.exact) this.warn(file, memoryNode.line, `memory ${memoryNode.text} ${memoryNode.attributes.unit ?? 'KiB'} rounded up to ${memory.mib} MiB`);
    const current = first(domain, 'currentMemory');
    if (current && toMiB(current.text, current.attributes.unit)?.mib === memory.mib) used.use(current, '#text', 'unit');

    const vcpuNode = first(domain, 'vcpu');
    let vcpus = 1;
    if (vcpuNode && /^\d+$/.test(vcpuNode.text ?? '') && Number(vcpuNode.text) >= 1) {
      vcpus = Number(vcpuNode.text);
      used.use(vcpuNode, '#text');
      if (vcpuNode.attributes.placement === 'static') used.use(vcpuNode, 'placement');
    } else {
      this.warn(file, vcpuNode?.line ?? domain.line, 'no usable <vcpu>; imported with 1 vCPU');
    }

    const os = this.#os(file, domain, hypervisor, used);
    const cpu = this.#cpu(domain, used);
    const devices = first(domain, 'devices');
    used.use(devices);
    const disks = all(devices, 'disk').flatMap((disk) => this.#disk(file, disk, hypervisor, used));
    const nics = all(devices, 'interface').flatMap((nic) => this.#nic(file, nic, hypervisor, used));
    const extras = this.#otherDevices(devices, hypervisor, used);

    return {
      name,
      vcpus,
      memory: sizeText(memory.mib),
      hypervisor,
      ...os,
      ...cpu,
      ...(disks.length > 0 ? { disks } : {}),
      ...(nics.length > 0 ? { networks: nics } : {}),
      ...extras,
    };
  }

  #os(file: string, domain: XmlNode, hypervisor: ImportHypervisor, used: Consumption): Partial<ImportedVm> {
    const os = first(domain, 'os');
    const type = first(os, 'type');
    const out: { -readonly [K in keyof ImportedVm]?: ImportedVm[K] } = {};
    used.use(os);
    const osType = type?.text?.trim();
    used.use(type, '#text');
    if (type?.attributes.arch === 'x86_64') used.use(type, 'arch');
    const bootloader = first(domain, 'bootloader');
    if (bootloader?.text) {
      out.bootloader = bootloader.text.trim();
      used.use(bootloader, '#text');
    }
    if (hypervisor === 'xen') {
      // The OS type names the guest type; libxl's machine follows from it (own-checks.ts checks the pair).
      if (osType === 'linux' || osType === 'xen' || (!osType && out.bootloader)) out.guestType = 'pv';
      else if (osType === 'xenpvh') out.guestType = 'pvh';
      else if (osType === 'hvm') out.guestType = 'hvm';
      else this.warn(file, type?.line ?? domain.line, `Xen OS type '${osType ?? ''}' unknown; guest type left to the fleet default`);
      if (type?.attributes.machine !== undefined) used.use(type, 'machine');
    } else if (type?.attributes.machine) {
      out.machine = type.attributes.machine;
      used.use(type, 'machine');
    }
    if (os?.attributes.firmware === 'efi') {
      out.firmware = 'uefi';
      used.use(os, 'firmware');
    }
    const loader = first(os, 'loader');
    if (loader) {
      const path = loader.text?.trim() ?? '';
      if (loader.attributes.type === 'pflash' || /ovmf|edk2|\.fd$/i.test(path)) out.firmware = 'uefi';
      else if (/hvmloader|seabios|bios/i.test(path) || path === '') out.firmware = out.firmware ?? 'bios';
      if (loader.attributes.secure === 'yes') out.secureBoot = true;
      used.use(loader, '#text', 'type', 'readonly', 'secure');
    }
    for (const feature of all(first(os, 'firmware'), 'feature')) {
      if (feature.attributes.name === 'secure-boot') {
        if (feature.attributes.enabled === 'yes') out.secureBoot = true;
        used.use(first(os, 'firmware'));
        used.use(feature, 'name', 'enabled');
      }
    }
    for (const key of ['kernel', 'initrd', 'cmdline'] as const) {
      const node = first(os, key);
      if (node?.text) {
        out[key] = node.text.trim();
        used.use(node, '#text');
      }
    }
    const boots = all(os, 'boot');
    // A single boot from the first disk is what the fleet's VMs do anyway.
    if (boots.length === 1 && boots[0]!.attributes.dev === 'hd') used.use(boots[0], 'dev');
    return out;
  }

  #cpu(domain: XmlNode, used: Consumption): Partial<ImportedVm> {
    const cpu = first(domain, 'cpu');
    if (!cpu) return {};
    const out: { cpuMode?: string; cpuModel?: string } = {};
    const model = first(cpu, 'model');
    const mode = cpu.attributes.mode ?? (model?.text ? 'custom' : undefined);
    if (mode && CPU_MODES.has(mode)) {
      out.cpuMode = mode;
      used.use(cpu, 'mode');
    }
    if (model?.text && (mode === 'custom' || mode === undefined)) {
      out.cpuModel = model.text.trim();
      used.use(model, '#text');
    }
    if (out.cpuMode || out.cpuModel) used.use(cpu);
    return out;
  }

  #disk(file: string, disk: XmlNode, hypervisor: ImportHypervisor, used: Consumption): ImportedDisk[] {
    const device = disk.attributes.device ?? 'disk';
    const source = first(disk, 'source');
    if (device !== 'disk' || !source) return [];
    let pool: string | undefined;
    let existing: string | undefined;
    let logical = false;
    switch (disk.attributes.type) {
      case 'file': {
        const path = source.attributes.file;
        if (!path) return [];
        existing = path;
        const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) || '/' : DEFAULT_POOL_PATH;
        pool = this.#pool(`dir:${dir}`, dir === DEFAULT_POOL_PATH ? 'images' : dir.split('/').filter(Boolean).pop() ?? 'images', (name) => ({ name, type: 'dir', path: dir }));
        used.use(source, 'file');
        break;
      }
      case 'block': {
        const dev = source.attributes.dev;
        const match = dev ? /^\/dev\/([^/]+)\/[^/]+$/.exec(dev) : null;
        if (!dev || !match || match[1] === 'disk' || match[1] === 'mapper') return [];
        // /dev/<vg>/<lv>: a logical volume of volume group <vg>.
        existing = dev;
        pool = this.#pool(`logical:${match[1]}`, match[1]!, (name) => ({ name, type: 'logical', source: match[1]!, path: `/dev/${match[1]}` }));
        logical = true;
        used.use(source, 'dev');
        break;
      }
      case 'volume': {
        const poolName = source.attributes.pool;
        if (!poolName || !source.attributes.volume) return [];
        existing = `${poolName}/${source.attributes.volume}`;
        pool = this.#pool(`pool:${poolName}`, poolName, (name) => {
          this.warn(file, source.line, `pool '${poolName}' is known only by name; imported as a dir pool at ${DEFAULT_POOL_PATH} (check its type and path)`);
          return { name, type: 'dir', path: DEFAULT_POOL_PATH };
        });
        used.use(source, 'pool', 'volume');
        break;
      }
      default:
        return [];
    }
    used.use(disk, 'type', 'device');
    const target = first(disk, 'target');
    used.use(target, 'dev');
    const bus = target?.attributes.bus;
    const driver = first(disk, 'driver');
    const declaredFormat = driver?.attributes.type;
    // libvirt creates plain (raw) LVs in a logical pool whatever format is asked (storage_backend_logical.c),
    // so the new volume cannot be qcow2; the attribute is left unconsumed and reported as dropped.
    const format = logical && declaredFormat === 'qcow2' ? undefined : declaredFormat;
    if (format !== declaredFormat) this.warn(file, driver?.line ?? disk.line, `disk ${target?.attributes.dev ?? ''}: qcow2 on a logical volume cannot be recreated (libvirt creates raw LVs in logical pools); the new volume in pool '${pool}' is raw`);
    const cache = driver?.attributes.cache;
    const io = driver?.attributes.io;
    if (bus && DISK_BUSES.has(bus)) used.use(target, 'bus');
    if (driver && (driver.attributes.name === 'qemu' || (hypervisor === 'xen' && driver.attributes.name !== undefined))) used.use(driver, 'name');
    if (format === 'qcow2' || format === 'raw') used.use(driver, 'type');
    if (cache && DISK_CACHES.has(cache)) used.use(driver, 'cache');
    if (io && DISK_IOS.has(io)) used.use(driver, 'io');
    this.warn(file, disk.line, `disk ${target?.attributes.dev ?? ''}: size unknown in domain XML, using placeholder ${PLACEHOLDER_DISK_SIZE}; existing image ${existing} is not adopted (a new volume is created in pool '${pool}')`);
    return [{
      size: PLACEHOLDER_DISK_SIZE,
      pool,
      ...(bus && DISK_BUSES.has(bus) ? { bus } : {}),
      ...(cache && DISK_CACHES.has(cache) ? { cache } : {}),
      ...(io && DISK_IOS.has(io) ? { io } : {}),
      ...(format === 'qcow2' || format === 'raw' ? { format } : {}),
    }];
  }

  #nic(file: string, nic: XmlNode, hypervisor: ImportHypervisor, used: Consumption): ImportedNic[] {
    const source = first(nic, 'source');
    let network: string | undefined;
    if (nic.attributes.type === 'network' && source?.attributes.network) {
      const raw = source.attributes.network;
      network = this.#network(`network:${raw}`, raw, (name) => {
        this.warn(file, source.line, `network '${raw}' is known only by name; imported as NAT on ${ASSUMED_NAT_CIDR} (check mode and cidr)`);
        return { name, mode: 'nat', cidr: ASSUMED_NAT_CIDR };
      });
      used.use(source, 'network');
    } else if (nic.attributes.type === 'bridge' && source?.attributes.bridge) {
      const bridge = source.attributes.bridge;
      network = this.#network(`bridge:${bridge}`, bridge, (name) => ({ name, mode: 'bridge', bridge }));
      used.use(source, 'bridge');
    }
    if (!network) return [];
    used.use(nic, 'type');
    const model = first(nic, 'model')?.attributes.type;
    used.use(first(nic, 'model'), 'type');
    const mac = first(nic, 'mac')?.attributes.address;
    if (mac && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac)) used.use(first(nic, 'mac'), 'address');
    const driver = first(nic, 'driver');
    const queues = driver?.attributes.queues && /^\d+$/.test(driver.attributes.queues) && Number(driver.attributes.queues) >= 1 ? Number(driver.attributes.queues) : undefined;
    if (queues) used.use(driver, 'queues');
    // vhost is the fleet's default backend for virtio on KVM.
    if (driver?.attributes.name === 'vhost' && hypervisor === 'kvm' && model === 'virtio') used.use(driver, 'name');
    const details = {
      ...(model ? { model } : {}),
      ...(mac && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac) ? { mac } : {}),
      ...(queues ? { queues } : {}),
    };
    return [Object.keys(details).length === 0 ? network : { network, ...details }];
  }

  #otherDevices(devices: XmlNode | undefined, hypervisor: ImportHypervisor, used: Consumption): Partial<ImportedVm> {
    const out: { -readonly [K in keyof ImportedVm]?: ImportedVm[K] } = {};
    const balloon = first(devices, 'memballoon');
    if (balloon?.attributes.model === 'none') out.balloon = false;
    else if (balloon?.attributes.model === 'virtio' || balloon?.attributes.model === 'xen') out.balloon = true;
    if (out.balloon !== undefined) used.use(balloon, 'model');
    const rngs = all(devices, 'rng');
    const rng = rngs.find((r) => r.attributes.model === 'virtio' && first(r, 'backend')?.attributes.model === 'random');
    if (rng) {
      out.rng = true;
      used.use(rng, 'model');
      used.useAll(first(rng, 'backend'));
    } else if (hypervisor === 'kvm' && rngs.length === 0) {
      out.rng = false;
    }
    const graphics = all(devices, 'graphics').find((g) => g.attributes.type === 'vnc' || g.attributes.type === 'spice');
    if (graphics) {
      const listenChild = first(graphics, 'listen');
      const listen = graphics.attributes.listen ?? (listenChild?.attributes.type === 'address' ? listenChild.attributes.address : undefined);
      out.graphics = { type: graphics.attributes.type as 'vnc' | 'spice', ...(listen ? { listen } : {}) };
      used.use(graphics, 'type', 'listen');
      if (graphics.attributes.autoport === 'yes') used.use(graphics, 'autoport', ...(graphics.attributes.port === '-1' ? ['port'] : []));
      if (listenChild?.attributes.type === 'address') used.use(listenChild, 'type', 'address');
    }
    const hostdevs: string[] = [];
    for (const hostdev of all(devices, 'hostdev')) {
      const address = first(first(hostdev, 'source'), 'address');
      if (hostdev.attributes.mode !== 'subsystem' || hostdev.attributes.type !== 'pci' || !address) continue;
      const hex = (v: string | undefined, width: number): string | undefined => {
        if (v === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(v)) return undefined;
        return Number(v).toString(16).padStart(width, '0');
      };
      const [domain, bus, slot, fn] = [hex(address.attributes.domain ?? '0', 4), hex(address.attributes.bus, 2), hex(address.attributes.slot, 2), hex(address.attributes.function, 1)];
      if (!domain || !bus || !slot || !fn || domain.length > 4 || bus.length > 2 || slot.length > 2 || Number(`0x${fn}`) > 7) continue;
      hostdevs.push(`${domain}:${bus}:${slot}.${fn}`);
      used.use(hostdev, 'mode', 'type', 'managed');
      used.use(first(hostdev, 'source'));
      used.use(address, 'domain', 'bus', 'slot', 'function');
    }
    if (hostdevs.length > 0) out.hostdevs = hostdevs;
    // A pty serial console is what the fleet's VMs get by default (Xen: the PV console).
    for (const name of ['serial', 'console']) {
      for (const node of all(devices, name)) {
        if ((node.attributes.type ?? 'pty') !== 'pty') continue;
        used.use(node, 'type');
        const target = first(node, 'target');
        if (target && (target.attributes.port ?? '0') === '0') used.use(target, 'port', 'type');
      }
    }
    return out;
  }
}

/** Imports domain XML files (in the given order, which decides name de-duplication). */
export function importDomains(inputs: readonly ImportInput[], options: ImportOptions = {}): ImportResult {
  const importer = new Importer(options);
  for (const input of inputs) importer.importFile(input);
  const failed = importer.diagnostics.some((d) => d.severity === 'error');
  if (failed) return { diagnostics: importer.diagnostics };
  const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    fleet: {
      apiVersion: 'hyperplan/v1',
      networks: [...importer.networks.values()].sort(byName),
      pools: [...importer.pools.values()].sort(byName),
      vms: importer.vms,
    },
    diagnostics: importer.diagnostics,
  };
}

/** `file:line[:column]: warning|error: message`. */
export function formatDiagnostic(d: ImportDiagnostic): string {
  return `${d.file}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}: ${d.severity}: ${d.message}`;
}

/** The fleet document as YAML or JSON text. */
export function fleetText(fleet: ImportedFleet, format: 'yaml' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(fleet, null, 2)}\n` : stringify(fleet, { lineWidth: 0 });
}
