/**
 * The fleet's name → object lookups, built once per fleet: effective VMs, the planner, the policies, the
 * stacks and the review all resolve names through here (fleets of 20,000 VMs ask millions of times).
 * A cache (with the effective VMs of fleet/effective-vm.ts): a `Fleet` is immutable, so its index never goes stale.
 */
import type { Fleet, Host, Image, MigrationPool, Network, StoragePool, Vm } from './model';

export interface FleetIndex {
  readonly hosts: ReadonlyMap<string, Host>;
  readonly networks: ReadonlyMap<string, Network>;
  readonly storagePools: ReadonlyMap<string, StoragePool>;
  readonly migrationPools: ReadonlyMap<string, MigrationPool>;
  readonly images: ReadonlyMap<string, Image>;
  /** Migration pools each host is a member of, in fleet order. */
  readonly migrationPoolsByHost: ReadonlyMap<string, readonly MigrationPool[]>;
  /** VMs on each host by a placement's VM → host record, in fleet order (see `vmsByHost`). */
  readonly hostedVms: WeakMap<Readonly<Record<string, string>>, ReadonlyMap<string, readonly Vm[]>>;
}

const indexes = new WeakMap<Fleet, FleetIndex>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byName<T extends { readonly name: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

/** The lookups of `fleet`, built on first use. */
export function fleetIndex(fleet: Fleet): FleetIndex {
  let index = indexes.get(fleet);
  if (!index) {
    const migrationPoolsByHost = new Map<string, MigrationPool[]>();
    for (const pool of fleet.migrationPools) for (const host of pool.hosts) push(migrationPoolsByHost, host, pool);
    index = {
      hosts: byName(fleet.hosts),
      networks: byName(fleet.networks),
      storagePools: byName(fleet.pools),
      migrationPools: byName(fleet.migrationPools),
      images: byName(fleet.images),
      migrationPoolsByHost,
      hostedVms: new WeakMap(),
    };
    indexes.set(fleet, index);
  }
  return index;
}

/** The VMs `placements` (VM name → host name) puts on each host, in fleet order; built once per placement. */
export function vmsByHost(fleet: Fleet, placements: Readonly<Record<string, string>>): ReadonlyMap<string, readonly Vm[]> {
  const index = fleetIndex(fleet);
  let hosted = index.hostedVms.get(placements);
  if (!hosted) {
    const map = new Map<string, Vm[]>();
    for (const vm of fleet.vms) {
      const host = placements[vm.name];
      if (host !== undefined) push(map, host, vm);
    }
    hosted = map;
    index.hostedVms.set(placements, hosted);
  }
  return hosted;
}
