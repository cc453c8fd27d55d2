/**
 * `<pool>` XML (virsh pool-dumpxml) → the fleet's storage pool, and `<volume>` XML (vol-dumpxml) → an
 * index of existing volumes by pool, name and path, so a domain's disk can reference the volume it uses.
 * The one-line `source` per pool type is the inverse of constructs/storage-pool.ts (fleet/storage-pool-sources.ts).
 */
import type { StoragePoolInput } from '../fleet/schema';
import { STORAGE_POOL_TYPES } from '../fleet/vocabulary';
import { Consumption, first, type NoteSink, toKiB } from './import-support';
import type { XmlNode } from './xml-read';

type PoolType = (typeof STORAGE_POOL_TYPES)[number];

/** An existing volume a disk can reference. */
export interface ExistingVolume {
  /** The pool's fleet name. */
  readonly pool: string;
  readonly volume: string;
  readonly capacityKiB?: number;
  /** `<target><format type>` (qcow2, raw …), when reported. */
  readonly format?: string;
}

/** Existing volumes, found by `pool/volume` or by the path a file or block disk names. */
export class VolumeIndex {
  readonly #byName = new Map<string, ExistingVolume>();
  readonly #byPath = new Map<string, ExistingVolume>();

  add(volume: ExistingVolume, path: string | undefined): void {
    this.#byName.set(`${volume.pool}/${volume.volume}`, volume);
    if (path) this.#byPath.set(path, volume);
  }

  byName(pool: string, volume: string): ExistingVolume | undefined {
    return this.#byName.get(`${pool}/${volume}`);
  }

  byPath(path: string): ExistingVolume | undefined {
    return this.#byPath.get(path);
  }
}

const isPoolType = (value: string | undefined): value is PoolType => (STORAGE_POOL_TYPES as readonly string[]).includes(value ?? '');

/** The pool's one-line `source` (and iSCSI keys) from `<source>`; what is read is consumed. */
function poolSource(type: PoolType, source: XmlNode | undefined, used: Consumption): Partial<StoragePoolInput> {
  const host = first(source, 'host');
  const dir = first(source, 'dir');
  const device = first(source, 'device');
  const name = first(source, 'name');
  switch (type) {
    case 'netfs':
    case 'gluster':
      if (!host?.attributes.name || !dir?.attributes.path) return {};
      used.use(host, 'name');
      used.use(dir, 'path');
      used.use(first(source, 'format'), 'type');
      return { source: `${host.attributes.name}:${dir.attributes.path}` };
    case 'fs':
    case 'disk':
      if (!device?.attributes.path) return {};
      used.use(device, 'path');
      return { source: device.attributes.path };
    case 'logical':
    case 'rbd':
    case 'zfs':
    case 'vstorage':
      if (!name?.text) return {};
      used.use(name, '#text');
      // A logical pool's <device> is the physical volume it was built on; it exists already.
      if (type === 'logical') used.use(first(source, 'format'), 'type');
      return { source: name.text.trim() };
    case 'scsi': {
      const adapter = first(source, 'adapter');
      if (!adapter?.attributes.name) return {};
      used.use(adapter, 'name');
      return { source: adapter.attributes.name };
    }
    case 'iscsi':
    case 'iscsi-direct': {
      const iqn = first(first(source, 'initiator'), 'iqn');
      if (!host?.attributes.name || !device?.attributes.path) return {};
      used.use(host, 'name', 'port');
      used.use(device, 'path');
      if (iqn?.attributes.name) {
        used.use(first(source, 'initiator'));
        used.use(iqn, 'name');
      }
      return {
        portal: host.attributes.port ? `${host.attributes.name}:${host.attributes.port}` : host.attributes.name,
        target: device.attributes.path,
        ...(iqn?.attributes.name ? { initiator: iqn.attributes.name } : {}),
      };
    }
    default:
      return {};
  }
}

/** A storage pool from its XML; undefined (with a note) when its type is not one the fleet knows. */
export function importPool(root: XmlNode, name: string, sink: NoteSink): { pool: StoragePoolInput; uuid?: string } | undefined {
  const used = new Consumption();
  const type = root.attributes.type;
  if (!isPoolType(type)) {
    sink.dropped(root.line, '/pool@type', `pool type '${type ?? ''}' is not one the fleet knows (${STORAGE_POOL_TYPES.join(', ')}); the pool and its volumes are left out`);
    return undefined;
  }
  used.use(root, 'type');
  used.use(first(root, 'name'), '#text');
  const uuid = first(root, 'uuid')?.text?.trim();
  used.use(first(root, 'uuid'), '#text');
  // Sizes and usage are what libvirt measures, not settings.
  for (const measured of ['capacity', 'allocation', 'available']) used.useAll(first(root, measured));
  const source = first(root, 'source');
  used.use(source);
  const target = first(root, 'target');
  const path = first(target, 'path')?.text?.trim();
  used.use(target);
  used.use(first(target, 'path'), '#text');
  // Ownership and labels of the target directory are the host's, reported by libvirt, not chosen here.
  used.useAll(first(target, 'permissions'));
  const pool: StoragePoolInput = {
    name,
    type,
    ...(path && type !== 'iscsi' && type !== 'iscsi-direct' && type !== 'rbd' ? { path } : {}),
    ...poolSource(type, source, used),
  };
  used.reportDropped(root, '/pool', sink);
  return { pool, ...(uuid ? { uuid } : {}) };
}

/** Adds a pool's volumes (vol-dumpxml) to the index; a volume whose XML is unreadable is skipped with a note. */
export function indexVolumes(pool: string, volumes: readonly { readonly name: string; readonly root: XmlNode | undefined }[], index: VolumeIndex, sink: NoteSink): void {
  for (const { name, root } of volumes) {
    if (!root) {
      sink.dropped(1, `/volume[${name}]`, `volume '${name}' of pool '${pool}' could not be read; disks on it get a placeholder size`);
      continue;
    }
    const capacity = first(root, 'capacity');
    const capacityKiB = toKiB(capacity?.text, capacity?.attributes.unit, 'bytes');
    const target = first(root, 'target');
    const format = first(target, 'format')?.attributes.type;
    index.add(
      { pool, volume: name, ...(capacityKiB !== undefined ? { capacityKiB } : {}), ...(format ? { format } : {}) },
      first(target, 'path')?.text?.trim() ?? first(root, 'key')?.text?.trim(),
    );
  }
}
