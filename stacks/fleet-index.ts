/**
 * What building a fleet's stacks looks up, from the fleet's one index (`fleet/fleet-index.ts`), so that
 * building stacks stays linear in the fleet's size (no per-VM or per-host scans of the whole fleet).
 */
import type { FleetCatalog } from '../constructs/host-provider';
import { fleetIndex, vmsByHost } from '../fleet/fleet-index';
import type { Fleet, Host, MigrationPool, Vm } from '../fleet/model';
import type { Placement, PoolHeadroom } from '../planner/types';

export interface PlacedFleetIndex {
  readonly hosts: ReadonlyMap<string, Host>;
  /** VMs the placement put on each host, in fleet order. */
  readonly vmsByHost: ReadonlyMap<string, readonly Vm[]>;
  readonly catalog: FleetCatalog;
  /** Migration pools each host is a member of. */
  readonly migrationPoolsByHost: ReadonlyMap<string, readonly MigrationPool[]>;
  readonly headroom: ReadonlyMap<string, PoolHeadroom>;
}

/** The lookups of `fleet` + `placement` the stacks use. */
export function placedFleetIndex(fleet: Fleet, placement: Placement): PlacedFleetIndex {
  const index = fleetIndex(fleet);
  return {
    hosts: index.hosts,
    vmsByHost: vmsByHost(fleet, placement.placements),
    catalog: { pools: index.storagePools, networks: index.networks },
    migrationPoolsByHost: index.migrationPoolsByHost,
    headroom: new Map(placement.pools.map((p) => [p.name, p])),
  };
}
