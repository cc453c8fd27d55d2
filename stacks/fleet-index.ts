/**
 * Lookups over a fleet and its placement, built once so that building stacks stays linear in the fleet's
 * size (no per-VM or per-host scans of the whole fleet).
 */
import type { FleetCatalog } from '../constructs/host-provider';
import type { Fleet, Host, MigrationPool, Vm } from '../fleet/model';
import type { Placement, PoolHeadroom } from '../planner/types';

export interface FleetIndex {
  readonly hosts: ReadonlyMap<string, Host>;
  /** VMs the placement put on each host, in fleet order. */
  readonly vmsByHost: ReadonlyMap<string, readonly Vm[]>;
  readonly catalog: FleetCatalog;
  /** Migration pools each host is a member of. */
  readonly migrationPoolsByHost: ReadonlyMap<string, readonly MigrationPool[]>;
  readonly headroom: ReadonlyMap<string, PoolHeadroom>;
}

const cache = new WeakMap<Placement, { readonly fleet: Fleet; readonly index: FleetIndex }>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function build(fleet: Fleet, placement: Placement): FleetIndex {
  const vmsByHost = new Map<string, Vm[]>();
  for (const vm of fleet.vms) {
    const host = placement.placements[vm.name];
    if (host !== undefined) push(vmsByHost, host, vm);
  }
  const migrationPoolsByHost = new Map<string, MigrationPool[]>();
  for (const pool of fleet.migrationPools) for (const host of pool.hosts) push(migrationPoolsByHost, host, pool);
  return {
    hosts: new Map(fleet.hosts.map((h) => [h.name, h])),
    vmsByHost,
    catalog: { pools: new Map(fleet.pools.map((p) => [p.name, p])), networks: new Map(fleet.networks.map((n) => [n.name, n])) },
    migrationPoolsByHost,
    headroom: new Map(placement.pools.map((p) => [p.name, p])),
  };
}

/** The index of `fleet` + `placement`; every stack of one app shares it. */
export function fleetIndex(fleet: Fleet, placement: Placement): FleetIndex {
  const cached = cache.get(placement);
  if (cached && cached.fleet === fleet) return cached.index;
  const index = build(fleet, placement);
  cache.set(placement, { fleet, index });
  return index;
}
