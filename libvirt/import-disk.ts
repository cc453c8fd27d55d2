/**
 * `<disk>` → the fleet's disk. A disk whose image is a known volume (live import: the host's own pools and
 * volumes) references it with `volume:` and its real size, so synthesis creates nothing for it; from a bare
 * domain file the pool is inferred from the image's directory and the size is a placeholder (approximated).
 */
import type { VmInput } from '../fleet/schema';
import {
  all, Consumption, first, isDiskBus, isDiskCache, isDiskFormat, isDiskIo, mibText, NoteSink, type ImportHypervisor,
} from './import-support';
import type { ExistingVolume } from './import-pool';
import type { XmlNode } from './xml-read';

export type DiskInput = NonNullable<VmInput['disks']>[number];

/**
 * Domain XML has no disk sizes (they live in the volume); a disk whose volume is unknown gets this size.
 * 20 GiB is the usual cloud-image root disk: big enough to boot, small enough to notice and correct.
 */
export const PLACEHOLDER_DISK_SIZE = '20GiB';

/** Where a disk's image lives, as far as the importer knows: a pool (fleet name) and maybe the volume. */
export interface DiskLocation {
  readonly pool: string;
  readonly volume: string;
  /** Known when the volume was read from the host (vol-dumpxml). */
  readonly existing?: ExistingVolume;
}

/** Finds or infers the pool and volume of a disk's source. */
export interface StorageResolver {
  file(path: string, line: number, sink: NoteSink): DiskLocation | undefined;
  block(device: string, line: number, sink: NoteSink): DiskLocation | undefined;
  volume(pool: string, volume: string, line: number, sink: NoteSink): DiskLocation | undefined;
}

export interface DiskContext {
  readonly hypervisor: ImportHypervisor;
  readonly used: Consumption;
  readonly sink: NoteSink;
  readonly storage: StorageResolver;
}

/** Path of the n-th `<disk>` for notes (`/domain/devices/disk[2]`). */
function diskPath(index: number, count: number): string {
  return `/domain/devices/disk${count > 1 ? `[${index + 1}]` : ''}`;
}

function location(disk: XmlNode, source: XmlNode, context: DiskContext): DiskLocation | undefined {
  const { storage, sink, used } = context;
  switch (disk.attributes.type) {
    case 'file':
      if (!source.attributes.file) return undefined;
      used.use(source, 'file');
      return storage.file(source.attributes.file, source.line, sink);
    case 'block':
      if (!source.attributes.dev) return undefined;
      used.use(source, 'dev');
      return storage.block(source.attributes.dev, source.line, sink);
    case 'volume':
      if (!source.attributes.pool || !source.attributes.volume) return undefined;
      used.use(source, 'pool', 'volume');
      return storage.volume(source.attributes.pool, source.attributes.volume, source.line, sink);
    default:
      return undefined;
  }
}

/** The domain's disks that the fleet can express; the others stay unconsumed and are reported dropped. */
export function importDisks(devices: XmlNode | undefined, context: DiskContext): DiskInput[] {
  const disks = all(devices, 'disk');
  const out: DiskInput[] = [];
  disks.forEach((disk, index) => {
    const path = diskPath(index, disks.length);
    const device = disk.attributes.device ?? 'disk';
    const source = first(disk, 'source');
    if (device !== 'disk' || !source) return;
    const found = location(disk, source, context);
    if (!found) {
      context.used.use(source);
      return;
    }
    const { used, sink, hypervisor } = context;
    used.use(disk, 'type', 'device');
    const target = first(disk, 'target');
    used.use(target, 'dev');
    const bus = target?.attributes.bus;
    if (isDiskBus(bus)) used.use(target, 'bus');
    const driver = first(disk, 'driver');
    const format = driver?.attributes.type ?? found.existing?.format;
    const cache = driver?.attributes.cache;
    const io = driver?.attributes.io;
    if (driver && (driver.attributes.name === 'qemu' || (hypervisor === 'xen' && driver.attributes.name !== undefined))) used.use(driver, 'name');
    if (isDiskFormat(format)) used.use(driver, 'type');
    if (isDiskCache(cache)) used.use(driver, 'cache');
    if (isDiskIo(io)) used.use(driver, 'io');
    let size = PLACEHOLDER_DISK_SIZE;
    if (found.existing?.capacityKiB !== undefined && found.existing.capacityKiB > 0) {
      const mib = mibText(found.existing.capacityKiB);
      size = mib.text;
      if (!mib.exact) sink.approximated(disk.line, path, `volume ${found.pool}/${found.volume}: ${found.existing.capacityKiB} KiB counted as ${mib.text} for placement (the volume itself is used as it is)`);
    } else {
      sink.approximated(disk.line, path, `volume ${found.pool}/${found.volume}: size unknown here, counted as ${PLACEHOLDER_DISK_SIZE} for placement (the volume itself is used as it is)`);
    }
    out.push({
      size,
      pool: found.pool,
      volume: found.volume,
      ...(isDiskBus(bus) ? { bus } : {}),
      ...(isDiskCache(cache) ? { cache } : {}),
      ...(isDiskIo(io) ? { io } : {}),
      ...(isDiskFormat(format) ? { format } : {}),
    });
  });
  return out;
}
