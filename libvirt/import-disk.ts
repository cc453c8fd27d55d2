/**
 * `<disk>` → the fleet's disk, keeping the source the domain had, so the rendered domain names the same
 * data: a pool volume (`type='volume'`) stays `pool:` + `volume:` (with its real size when the host was
 * read), a file or block device stays `path:`, a network disk (rbd, iscsi, nbd) stays `network:` with its
 * servers and the secret it authenticates with (by usage or UUID, never a value), a CD-ROM or floppy
 * stays `device: cdrom` / `device: floppy`. None of them is a volume hyperplan creates.
 */
import type { VmInput } from '../fleet/schema';
import { diskDeviceNames } from '../fleet/effective-vm';
import { DISK_DEVICES, DISK_SECRET_TYPES, diskTargetProblem, isRemovable, NETWORK_DISK_PROTOCOLS, type DiskDevice } from '../fleet/guest-devices';
import type { DiskBus } from '../fleet/model';
import {
  all, type Consumption, first, isDiskBus, isDiskCache, isDiskFormat, isDiskIo, kibText, type NoteSink, type ImportHypervisor,
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

function networkSource(disk: XmlNode, source: XmlNode, used: Consumption): NetworkSource | undefined {
  const protocol = source.attributes.protocol;
  if (!oneOf(NETWORK_DISK_PROTOCOLS, protocol)) return undefined;
  const hosts = all(source, 'host').filter((h) => h.attributes.name !== undefined && (h.attributes.transport ?? 'tcp') === 'tcp');
  if (hosts.length === 0) return undefined;
  const auth = first(source, 'auth') ?? first(disk, 'auth');
  const secret = first(auth, 'secret');
  const secretType = secret?.attributes.type;
  const withAuth = auth?.attributes.username !== undefined && oneOf(DISK_SECRET_TYPES, secretType) && (secret?.attributes.usage ?? secret?.attributes.uuid) !== undefined;
  used.use(source, 'protocol', 'name');
  for (const host of hosts) used.use(host, 'name', 'port', 'transport');
  if (withAuth) {
    used.use(auth, 'username');
    used.use(secret, 'type', secret!.attributes.usage !== undefined ? 'usage' : 'uuid');
  }
  return {
    protocol,
    ...(source.attributes.name ? { name: source.attributes.name } : {}),
    hosts: hosts.map((h) => ({ host: h.attributes.name!, ...(h.attributes.port && /^\d+$/.test(h.attributes.port) ? { port: Number(h.attributes.port) } : {}) })),
    ...(withAuth
      ? {
          auth: {
            username: auth!.attributes.username!,
            secret: { type: secretType, ...(secret!.attributes.usage !== undefined ? { usage: secret!.attributes.usage } : { uuid: secret!.attributes.uuid! }) },
          },
        }
      : {}),
  };
}

/** The source part of the disk (what data it has); undefined when the fleet cannot express it. */
function sourceOf(disk: XmlNode, source: XmlNode | undefined, context: DiskContext): Partial<DiskInput> | undefined {
  const { used, sink } = context;
  const removable = isRemovable(disk.attributes.device as DiskDevice | undefined);
  if (!source || Object.keys(source.attributes).length === 0) {
    // An empty CD-ROM tray or floppy drive; a disk without a source has no data to keep.
    if (!removable) return undefined;
    used.use(source);
    return {};
  }
  // libvirt reads a disk without type as a file (domain_conf.c, virDomainDiskDefParseSourceXML).
  switch (disk.attributes.type ?? 'file') {
    case 'file':
    case 'block': {
      const path = source.attributes.file ?? source.attributes.dev;
      if (!path?.startsWith('/')) return undefined;
      used.use(source, source.attributes.file !== undefined ? 'file' : 'dev');
      return { path };
    }
    case 'volume': {
      if (!source.attributes.pool || !source.attributes.volume) return undefined;
      const found = context.storage.volume(source.attributes.pool, source.attributes.volume, source.line, sink);
      if (!found) return undefined;
      used.use(source, 'pool', 'volume');
      const capacity = found.existing?.capacityKiB;
      return { pool: found.pool, volume: found.volume, ...(capacity !== undefined && capacity > 0 && !removable ? { size: kibText(capacity).text } : {}) };
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
    const found = sourceOf(disk, first(disk, 'source'), context);
    if (!found) continue;
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
    out.push({
      ...(device === 'disk' ? {} : { device }),
      ...found,
      ...(readonly && device !== 'cdrom' ? { readonly: true } : {}),
      ...(isDiskBus(bus) ? { bus } : {}),
      ...(isDiskCache(cache) ? { cache } : {}),
      ...(isDiskIo(io) ? { io } : {}),
      ...(isDiskFormat(format) ? { format } : {}),
    });
    targets.push(target);
  }
  if (out.every((disk) => disk.bus !== undefined)) keepDeviceNames(out, targets, context.sink);
  return out;
}
