/**
 * `<disk>` → the fleet's disk, keeping the source the domain had, so the rendered domain names the same
 * data: a pool volume (`type='volume'`) stays `pool:` + `volume:` (with its real size when the host was
 * read, and its iSCSI `volumeMode:`), a file, block device or directory stays `path:` (with `pathType:`
 * where the path alone would say otherwise), a network disk stays `network:` with its servers (or UNIX
 * socket), TLS setting and the secret it authenticates with (by usage or UUID, never a value), a CD-ROM,
 * floppy or LUN stays `device:`; the startup policy stays `startupPolicy:`. None of them is a volume
 * hyperplan creates. A disk the fleet's loader would refuse as a whole is left out and reported dropped.
 */
import type { VmInput } from '../fleet/schema';
import { diskDeviceNames } from '../fleet/effective-vm';
import {
  defaultPathType, DISK_DEVICES, DISK_SECRET_TYPES, DISK_STARTUP_POLICIES, DISK_VOLUME_MODES, diskTargetProblem, isRemovable, NETWORK_DISK_PROTOCOLS,
  type DiskDevice, type DiskPathType,
} from '../fleet/guest-devices';
import type { DiskBus } from '../fleet/model';
import {
  all, Consumption, first, isDiskBus, isDiskCache, isDiskFormat, isDiskIo, isFleetDisk, kibText, type NoteSink, type ImportHypervisor,
} from './import-support';
import type { ExistingVolume } from './import-pool';
import type { XmlNode } from './xml-read';

export type DiskInput = NonNullable<VmInput['disks']>[number];
type NetworkSource = NonNullable<DiskInput['network']>;

/** Where a `type='volume'` disk's volume is: the pool's fleet name, and the volume when the host listed it. */
export interface DiskLocation {
  readonly pool: string;
  readonly volume: string;
  readonly existing?: ExistingVolume;
}

/** Finds (live) or assumes (files) the pool of a `type='volume'` disk. */
export interface StorageResolver {
  volume(pool: string, volume: string, line: number, sink: NoteSink): DiskLocation | undefined;
}

export interface DiskContext {
  readonly hypervisor: ImportHypervisor;
  readonly used: Consumption;
  readonly sink: NoteSink;
  readonly storage: StorageResolver;
}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): value is T => values.includes(value as T);

/** A `<host>` of a network source as the fleet keeps it: a TCP server by name (and port), or a UNIX socket. */
function networkHost(host: XmlNode): NonNullable<NetworkSource['hosts']>[number] | undefined {
  const { name, port, transport = 'tcp', socket } = host.attributes;
  if (transport === 'unix') return socket === undefined ? undefined : { socket };
  if (transport !== 'tcp' || name === undefined) return undefined;
  if (port === undefined) return { host: name };
  return /^\d+$/.test(port) ? { host: name, port: Number(port) } : undefined;
}

function networkSource(disk: XmlNode, source: XmlNode, used: Consumption): NetworkSource | undefined {
  const protocol = source.attributes.protocol;
  if (!oneOf(NETWORK_DISK_PROTOCOLS, protocol)) return undefined;
  const hostNodes = all(source, 'host');
  const hosts = hostNodes.map(networkHost);
  if (hosts.some((h) => h === undefined)) return undefined;
  const auth = first(source, 'auth') ?? first(disk, 'auth');
  const secret = first(auth, 'secret');
  const secretType = secret?.attributes.type;
  const withAuth = auth?.attributes.username !== undefined && oneOf(DISK_SECRET_TYPES, secretType) && (secret?.attributes.usage ?? secret?.attributes.uuid) !== undefined;
  const { query, tls, tlsHostname } = source.attributes;
  const network: NetworkSource = {
    protocol,
    ...(source.attributes.name ? { name: source.attributes.name } : {}),
    hosts: hosts as NonNullable<(typeof hosts)[number]>[],
    ...(query !== undefined ? { query } : {}),
    ...(tls === 'yes' || tls === 'no' ? { tls: tls === 'yes' } : {}),
    ...(tlsHostname !== undefined ? { tlsHostname } : {}),
    ...(withAuth
      ? {
          auth: {
            username: auth!.attributes.username!,
            secret: { type: secretType, ...(secret!.attributes.usage !== undefined ? { usage: secret!.attributes.usage } : { uuid: secret!.attributes.uuid! }) },
          },
        }
      : {}),
  };
  // What the loader would refuse (a protocol's missing name or server, the wrong secret type …) stays dropped.
  if (!isFleetDisk({ network })) return undefined;
  used.use(source, 'protocol', 'name', 'query', 'tls', 'tlsHostname');
  for (const host of hostNodes) used.use(host, 'name', 'port', 'transport', 'socket');
  if (withAuth) {
    used.use(auth, 'username');
    used.use(secret, 'type', secret!.attributes.usage !== undefined ? 'usage' : 'uuid');
  }
  return network;
}

/** The source part of the disk (what data it has); undefined when the fleet cannot express it. */
function sourceOf(disk: XmlNode, source: XmlNode | undefined, context: DiskContext): Partial<DiskInput> | undefined {
  const { used } = context;
  const removable = isRemovable(disk.attributes.device as DiskDevice | undefined);
  if (!source || Object.keys(source.attributes).length === 0) {
    // An empty CD-ROM tray or floppy drive; a disk without a source has no data to keep.
    if (!removable) return undefined;
    used.use(source);
    return {};
  }
  const startupPolicy = source.attributes.startupPolicy;
  const located = sourceBranch(disk, source, removable, context);
  if (!located || !oneOf(DISK_STARTUP_POLICIES, startupPolicy)) return located;
  used.use(source, 'startupPolicy');
  return { ...located, startupPolicy };
}

/** The attribute that names a local source's path, per `<disk type>`. */
const PATH_ATTRIBUTE: Readonly<Record<DiskPathType, string>> = { file: 'file', block: 'dev', dir: 'dir' };

function sourceBranch(disk: XmlNode, source: XmlNode, removable: boolean, context: DiskContext): Partial<DiskInput> | undefined {
  const { used, sink } = context;
  // libvirt reads a disk without type as a file (domain_conf.c, virDomainDiskDefParseSourceXML).
  const type = disk.attributes.type ?? 'file';
  switch (type) {
    case 'file':
    case 'block':
    case 'dir': {
      const path = source.attributes[PATH_ATTRIBUTE[type]];
      if (!path?.startsWith('/')) return undefined;
      used.use(source, PATH_ATTRIBUTE[type]);
      // The fleet says block under /dev and file elsewhere unless told (defaultPathType).
      return { path, ...(type === defaultPathType(path) ? {} : { pathType: type }) };
    }
    case 'volume': {
      if (!source.attributes.pool || !source.attributes.volume) return undefined;
      const found = context.storage.volume(source.attributes.pool, source.attributes.volume, source.line, sink);
      if (!found) return undefined;
      const mode = source.attributes.mode;
      used.use(source, 'pool', 'volume', ...(oneOf(DISK_VOLUME_MODES, mode) ? ['mode'] : []));
      const capacity = found.existing?.capacityKiB;
      return {
        pool: found.pool,
        volume: found.volume,
        ...(oneOf(DISK_VOLUME_MODES, mode) ? { volumeMode: mode } : {}),
        ...(capacity !== undefined && capacity > 0 && !removable ? { size: kibText(capacity).text } : {}),
      };
    }
    case 'network': {
      const network = networkSource(disk, source, used);
      return network ? { network } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The bus libvirt gives a disk whose `<target>` names none, from the device name's prefix (libvirt
 * src/conf/domain_postparse.c, virDomainDiskDefPostParse: hd → ide, sd → scsi, vd → virtio, xvd → xen).
 */
const LIBVIRT_BUS_OF_PREFIX: ReadonlyArray<readonly [string, DiskBus]> = [['xvd', 'xen'], ['vd', 'virtio'], ['hd', 'ide'], ['sd', 'scsi']];

/** libvirt's bus of a disk that names none: fdc for a floppy, else the one of its name's prefix (virDomainDiskDefPostParse). */
function libvirtBus(device: DiskDevice, dev: string): DiskBus | undefined {
  if (device === 'floppy') return 'fdc';
  return LIBVIRT_BUS_OF_PREFIX.find(([prefix]) => new RegExp(`^${prefix}[a-z]+$`).test(dev))?.[1];
}

/**
 * Keeps each disk's device name (`<target dev>`) where effectiveVm would name it otherwise: `target:` on
 * the disks whose name differs from the next free one of their bus, until every name comes out as the
 * domain had it. A name the fleet cannot hold (another prefix than its bus's) is reported approximated.
 */
function keepDeviceNames(disks: DiskInput[], names: readonly (XmlNode | undefined)[], sink: NoteSink): void {
  const taken = new Set<string>();
  const wanted = names.map((target, index) => {
    const dev = target?.attributes.dev;
    const bus = disks[index]!.bus;
    if (dev === undefined) return undefined;
    const problem = taken.has(dev) ? `device name '${dev}' is taken by an earlier disk` : bus === undefined ? 'no bus' : diskTargetProblem(dev, bus, disks[index]!.device);
    taken.add(dev);
    if (problem === undefined) return dev;
    sink.approximated(target!.line, '/domain/devices/disk/target@dev', `${problem}; the disk takes the next free name of its bus instead of '${dev}'`);
    return undefined;
  });
  const explicit = new Set<number>();
  for (let round = 0; round <= disks.length; round += 1) {
    const named = diskDeviceNames(disks.map((disk, index) => ({ bus: disk.bus!, ...(explicit.has(index) ? { target: wanted[index] } : {}) })));
    const differing = wanted.flatMap((dev, index) => (dev !== undefined && named[index] !== dev && !explicit.has(index) ? [index] : []));
    if (differing.length === 0) break;
    for (const index of differing) explicit.add(index);
  }
  for (const index of [...explicit].sort((a, b) => a - b)) disks[index] = { ...disks[index]!, target: wanted[index]! };
}

/** The domain's disks that the fleet can express; the others stay unconsumed and are reported dropped. */
export function importDisks(devices: XmlNode | undefined, context: DiskContext): DiskInput[] {
  const out: DiskInput[] = [];
  const targets: (XmlNode | undefined)[] = [];
  for (const disk of all(devices, 'disk')) {
    const device = disk.attributes.device ?? 'disk';
    if (!oneOf(DISK_DEVICES, device)) continue;
    // Read on its own, kept only when the loader accepts the disk as a whole.
    const used = new Consumption();
    const imported = importDisk(disk, device, { ...context, used });
    if (imported === undefined || !isFleetDisk(imported)) continue;
    context.used.merge(used);
    out.push(imported);
    targets.push(first(disk, 'target'));
  }
  if (out.every((disk) => disk.bus !== undefined)) keepDeviceNames(out, targets, context.sink);
  return out;
}

/**
 * `default` for the modes a KVM disk leaves to libvirt, where hyperplan would otherwise name its own:
 * cache=none on a KVM data disk and, with cache=none, an I/O mode on a host file or block device
 * (fleet/effective-vm.ts). Without them an adopted domain would plan a change to its disks.
 */
function libvirtDefaultModes(
  device: DiskDevice,
  found: Partial<DiskInput>,
  hypervisor: ImportHypervisor,
  cache: string | undefined,
  io: string | undefined,
): Pick<DiskInput, 'cache' | 'io'> {
  if (hypervisor !== 'kvm' || isRemovable(device)) return {};
  if (cache === undefined) return { cache: 'default' };
  return cache === 'none' && io === undefined && found.network === undefined ? { io: 'default' } : {};
}

function importDisk(disk: XmlNode, device: DiskDevice, context: DiskContext): DiskInput | undefined {
  const found = sourceOf(disk, first(disk, 'source'), context);
  if (!found) return undefined;
  const { used, hypervisor } = context;
  used.use(disk, 'type', 'device');
  const target = first(disk, 'target');
  used.use(target, 'dev');
  const dev = target?.attributes.dev ?? '';
  const bus = target?.attributes.bus ?? libvirtBus(device, dev);
  if (isDiskBus(target?.attributes.bus)) used.use(target, 'bus');
  const readonly = first(disk, 'readonly');
  if (readonly) used.use(readonly);
  const driver = first(disk, 'driver');
  const format = driver?.attributes.type;
  const cache = driver?.attributes.cache;
  const io = driver?.attributes.io;
  if (driver && (driver.attributes.name === 'qemu' || (hypervisor === 'xen' && driver.attributes.name !== undefined))) used.use(driver, 'name');
  if (isDiskFormat(format)) used.use(driver, 'type');
  if (isDiskCache(cache)) used.use(driver, 'cache');
  if (isDiskIo(io)) used.use(driver, 'io');
  const modes = libvirtDefaultModes(device, found, hypervisor, cache, io);
  return {
    ...(device === 'disk' ? {} : { device }),
    ...found,
    ...(readonly && device !== 'cdrom' ? { readonly: true } : {}),
    ...(isDiskBus(bus) ? { bus } : {}),
    ...(isDiskCache(cache) ? { cache } : {}),
    ...(isDiskIo(io) ? { io } : {}),
    ...modes,
    ...(isDiskFormat(format) ? { format } : {}),
  };
}
