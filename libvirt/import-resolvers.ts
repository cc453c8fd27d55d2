/**
 * Where a domain's disks and NICs point, in the two import modes:
 * - live (`import --from`): the host's real pools, volumes and networks, read over libvirt; a source that
 *   is none of them is left out and reported;
 * - files (`import <xml…>`): only the domain is known, so pools are inferred from image paths (a directory
 *   → a dir pool, `/dev/<vg>/<lv>` → a logical pool) and networks are assumed NAT; each guess is reported.
 */
import type { NetworkInput, StoragePoolInput } from '../fleet/schema';
import type { DiskLocation, StorageResolver } from './import-disk';
import type { NetworkResolver } from './import-nic';
import type { VolumeIndex } from './import-pool';
import { NameRegistry, NoteSink, sanitizeName } from './import-support';

/** Pool for disk images under libvirt's default directory. */
export const DEFAULT_POOL_PATH = '/var/lib/libvirt/images';
/**
 * A libvirt network's mode and addresses are in the network's own XML, not the domain's. `default` is
 * libvirt's stock NAT network on 192.168.122.0/24; from bare domain files every network gets that assumption.
 */
export const ASSUMED_NAT_CIDR = '192.168.122.0/24';

/** The networks and pools of the fleet being built, by identity (`network:default`, `dir:/path` …). */
export class FleetObjects {
  readonly networks = new Map<string, NetworkInput>();
  readonly pools = new Map<string, StoragePoolInput>();
  readonly #networkNames = new NameRegistry();
  readonly #poolNames = new NameRegistry();
  readonly #identities = new Map<string, string>();

  known(identity: string): string | undefined {
    return this.#identities.get(identity);
  }

  network(identity: string, base: string, build: (name: string) => NetworkInput): string {
    const known = this.#identities.get(identity);
    if (known) return known;
    const name = this.#networkNames.claim(sanitizeName(base, 'net'));
    this.#identities.set(identity, name);
    this.networks.set(name, build(name));
    return name;
  }

  pool(identity: string, base: string, build: (name: string) => StoragePoolInput): string {
    const known = this.#identities.get(identity);
    if (known) return known;
    const name = this.#poolNames.claim(sanitizeName(base, 'pool'));
    this.#identities.set(identity, name);
    this.pools.set(name, build(name));
    return name;
  }
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const dirname = (path: string): string => path.slice(0, Math.max(path.lastIndexOf('/'), 0));

/** `/dev/<vg>/<lv>` → the volume group and LV; device-mapper and by-id paths are not volume groups. */
function logicalVolume(device: string): { vg: string; lv: string } | undefined {
  const match = /^\/dev\/([^/]+)\/([^/]+)$/.exec(device);
  if (!match || match[1] === 'disk' || match[1] === 'mapper') return undefined;
  return { vg: match[1]!, lv: match[2]! };
}

/** Storage inferred from a bare domain file. */
export function guessedStorage(objects: FleetObjects): StorageResolver {
  const logical = (device: string, line: number, sink: NoteSink): DiskLocation | undefined => {
    const lv = logicalVolume(device);
    if (!lv) return undefined;
    const pool = objects.pool(`logical:${lv.vg}`, lv.vg, (name) => ({ name, type: 'logical', source: lv.vg, path: `/dev/${lv.vg}` }));
    sink.approximated(line, '/domain/devices/disk/source', `${device}: taken as logical volume '${lv.lv}' of volume group '${lv.vg}' (pool '${pool}')`);
    return { pool, volume: lv.lv };
  };
  return {
    file(path, line, sink) {
      // A "file" under /dev is a device node: the same LV as a block disk, not a directory pool.
      if (path.startsWith('/dev/')) return logical(path, line, sink);
      const dir = dirname(path);
      if (dir === '' || !path.startsWith('/')) return undefined;
      const pool = objects.pool(`dir:${dir}`, dir === DEFAULT_POOL_PATH ? 'images' : dir.split('/').filter(Boolean).pop() ?? 'images', (name) => ({ name, type: 'dir', path: dir }));
      sink.approximated(line, '/domain/devices/disk/source', `${path}: taken as volume '${basename(path)}' of a dir pool at ${dir} (pool '${pool}')`);
      return { pool, volume: basename(path) };
    },
    block: logical,
    volume(poolName, volume, line, sink) {
      const pool = objects.pool(`pool:${poolName}`, poolName, (name) => {
        sink.approximated(line, '/domain/devices/disk/source', `pool '${poolName}' is known only by name; imported as a dir pool at ${DEFAULT_POOL_PATH} (check its type and path)`);
        return { name, type: 'dir', path: DEFAULT_POOL_PATH };
      });
      return { pool, volume };
    },
  };
}

/** Networks assumed from a bare domain file. */
export function guessedNetworks(objects: FleetObjects): NetworkResolver {
  return {
    network(raw, line, sink) {
      return objects.network(`network:${raw}`, raw, (name) => {
        sink.approximated(line, '/domain/devices/interface/source', `network '${raw}' is known only by name; imported as NAT on ${ASSUMED_NAT_CIDR} (check mode and cidr)`);
        return { name, mode: 'nat', cidr: ASSUMED_NAT_CIDR };
      });
    },
    bridge(bridge) {
      return objects.network(`bridge:${bridge}`, bridge, (name) => ({ name, mode: 'bridge', bridge }));
    },
  };
}

/** A host's real pools (libvirt name → fleet name) and volumes. */
export function liveStorage(pools: ReadonlyMap<string, string>, volumes: VolumeIndex, poolPaths: ReadonlyMap<string, string>): StorageResolver {
  const located = (existing: ReturnType<VolumeIndex['byPath']>): DiskLocation | undefined =>
    existing ? { pool: existing.pool, volume: existing.volume, existing } : undefined;
  const byPath = (path: string, line: number, sink: NoteSink): DiskLocation | undefined => {
    const found = located(volumes.byPath(path));
    if (found) return found;
    // Not listed (e.g. created behind libvirt's back before a refresh), but inside a pool's directory.
    const pool = poolPaths.get(dirname(path));
    if (pool) return { pool, volume: basename(path) };
    sink.dropped(line, '/domain/devices/disk/source', `${path} is in no storage pool of the host; define a pool for it (virsh pool-define-as) and import again`);
    return undefined;
  };
  return {
    file: byPath,
    block: byPath,
    volume(poolName, volume, line, sink) {
      const pool = pools.get(poolName);
      if (!pool) {
        sink.dropped(line, '/domain/devices/disk/source@pool', `pool '${poolName}' is not defined on the host`);
        return undefined;
      }
      return located(volumes.byName(pool, volume)) ?? { pool, volume };
    },
  };
}

/** A host's real networks (libvirt name → fleet name); bridges without a libvirt network become bridge networks. */
export function liveNetworks(objects: FleetObjects, networks: ReadonlyMap<string, string>): NetworkResolver {
  return {
    network(raw, line, sink) {
      const name = networks.get(raw);
      if (!name) sink.dropped(line, '/domain/devices/interface/source@network', `network '${raw}' is not defined on the host`);
      return name;
    },
    bridge(bridge) {
      for (const [name, network] of objects.networks) if (network.mode === 'bridge' && network.bridge === bridge) return name;
      return objects.network(`bridge:${bridge}`, bridge, (name) => ({ name, mode: 'bridge', bridge }));
    },
  };
}
