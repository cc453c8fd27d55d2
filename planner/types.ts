/** The planner's result: what `hyperplan plan --format json` prints and what constructs and policies consume. */
import type { PoolReserve } from '../fleet/model';

export interface ResourceUse {
  readonly used: number;
  readonly capacity: number;
}

export interface HostUsage {
  readonly name: string;
  /** vCPUs placed / usable vCPUs (after reservation, times overcommit). */
  readonly cpu: ResourceUse;
  /** MiB placed / usable MiB (after Dom0 or host reservation, times overcommit), per-guest overhead included. */
  readonly memoryMiB: ResourceUse;
  /** Hugepage pool MiB taken / declared; only on hosts that declare a pool. */
  readonly hugepageMiB?: ResourceUse;
}

export interface UnplacedVm {
  readonly vm: string;
  /** Per host, the filter that removed it and why. */
  readonly reasons: Readonly<Record<string, string>>;
}

export interface Move {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** Migration-pool headroom: can the VMs of the worst one (n+1) or two (n+2) hosts be re-placed? */
export interface PoolHeadroom {
  readonly name: string;
  readonly reserve: PoolReserve;
  readonly satisfied: boolean;
  /** The host (or hosts, for n+2) whose loss leaves the least spare capacity. */
  readonly worstCase: readonly string[];
  /** Spare capacity left on the pool after re-placing the worst case's VMs. */
  readonly spare: { readonly cpu: number; readonly memoryMiB: number };
}

export interface Placement {
  /** VM name → host name, keys sorted. */
  readonly placements: Readonly<Record<string, string>>;
  readonly unplaced: readonly UnplacedVm[];
  readonly moves: readonly Move[];
  readonly hosts: readonly HostUsage[];
  readonly pools: readonly PoolHeadroom[];
}

/** What `place()` returns: the placement and the hosts it uses. */
export interface PlaceResult extends Placement {
  /** Hosts that carry at least one VM. */
  readonly hostsUsed: number;
}

/** What `plan()` returns: the placement plus how good it is. */
export interface PlanResult extends PlaceResult {
  /** A proven minimum of hosts any valid placement needs (`lowerBound()` in planner/lower-bound.ts). */
  readonly lowerBound: number;
}
