/**
 * Where a domain's disks and NICs point, in the two import modes:
 * - live (`import --from`): the host's real pools, volumes and networks, read over libvirt; a source that
 *   is none of them is left out and reported;
 * - files (`import <xml…>`): only the domain is known, so a pool named by a disk is assumed to be a dir
 *   pool and a network NAT; each guess is reported. Files and devices stay paths (`path:`), never a guess.
 */
import type { NetworkInput, StoragePoolInput } from '../fleet/schema';
import type { StorageResolver } from './import-disk';
import type { NetworkResolver } from './import-nic';
import type { VolumeIndex } from './import-pool';
import { NameRegistry, sanitizeName } from './import-support';

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

/** Pools assumed from a bare domain file: a pool known only by name becomes a dir pool (reported). */
export function guessedStorage(objects: FleetObjects): StorageResolver {
  return {
    volume(poolName, volume, line, sink) {
      const pool = objects.pool(`pool:${poolName}`, poolName, (name) => {
        sink.approximated(line, '/domain/devices/disk/source@pool', `pool '${poolName}' is known only by name; imported as a dir pool at ${DEFAULT_POOL_PATH} (check its type and path)`);
        return { name, type: 'dir', path: DEFAULT_POOL_PATH };
      });
      return { pool, volume };
    },
  };
}

/**
 * A host bridge a NIC attaches to that no libvirt network names: the host bridge only (`libvirtNetwork:
 * false`), so adopting the domain defines no network the host did not have.
 */
function hostBridge(objects: FleetObjects, bridge: string): string {
  return objects.network(`bridge:${bridge}`, bridge, (name) => ({ name, mode: 'bridge', bridge, libvirtNetwork: false }));
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
      return hostBridge(objects, bridge);
    },
  };
}

/** A host's real pools (libvirt name → fleet name) and their volumes. */
export function liveStorage(pools: ReadonlyMap<string, string>, volumes: VolumeIndex): StorageResolver {
  return {
    volume(poolName, volume, line, sink) {
      const pool = pools.get(poolName);
      if (!pool) {
        sink.dropped(line, '/domain/devices/disk/source@pool', `pool '${poolName}' is not defined on the host`);
        return undefined;
      }
      const existing = volumes.byName(pool, volume);
      if (!existing) sink.approximated(line, '/domain/devices/disk/source@volume', `volume '${volume}' is not listed in pool '${poolName}' (refresh the pool); its size is unknown`);
      return { pool, volume, ...(existing ? { existing } : {}) };
    },
  };
}

/** A host's real networks (libvirt name → fleet name); bridges without a libvirt network become host-bridge networks. */
export function liveNetworks(objects: FleetObjects, networks: ReadonlyMap<string, string>): NetworkResolver {
  return {
    network(raw, line, sink) {
      const name = networks.get(raw);
      if (!name) sink.dropped(line, '/domain/devices/interface/source@network', `network '${raw}' is not defined on the host`);
      return name;
    },
    bridge(bridge) {
      for (const [name, network] of objects.networks) if (network.mode === 'bridge' && network.bridge === bridge) return name;
      return hostBridge(objects, bridge);
    },
  };
}
