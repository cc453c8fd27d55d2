/**
 * The review result: what `hyperplan review --format json` prints (keys may be added, never renamed) and
 * what the Markdown renderer reads.
 */
import type { Finding } from '../policies/finding';
import type { PoolReserve } from '../fleet/model';
import type { ResourceUse } from '../planner/types';
import type { ChangeEffect } from './replacement-rules';

export type VmChangeKind = 'create' | 'destroy' | 'update' | 'restart' | 'replace' | 'move';

export interface VmChange {
  readonly vm: string;
  readonly change: VmChangeKind;
  /** Moves only: the host the VM leaves. */
  readonly from?: string;
  /** Moves only: the host the VM lands on. */
  readonly to?: string;
  /** The host the VM is on (after the change; before it for destroys). */
  readonly host: string;
  /**
   * Moves only: `live` when the head moves the VM's state after a live migration (no restart), `offline`
   * when apply destroys it on the old host and creates it on the new one (see `reasons` for why).
   */
  readonly migration?: 'live' | 'offline';
  /** Moves only: the `virsh migrate --live …` command, when libvirt can live-migrate the VM. */
  readonly command?: string;
  /**
   * Whether the change shuts the guest down: a restart, a replacement, an offline move. A live move, a
   * create, a destroy or an in-place update does not; disruption budgets count these.
   */
  readonly restarts: boolean;
  readonly reasons: readonly string[];
}

export interface DataLoss {
  readonly vm: string;
  /** libvirt volume name. */
  readonly volume: string;
  readonly reason: string;
  /** Terraform address of the volume. */
  readonly address: string;
  /** True when apply stops before the data is gone (prevent_destroy, or the provider refuses the update). */
  readonly blocked: boolean;
}

export interface Usage {
  readonly cpu: ResourceUse;
  readonly memoryMiB: ResourceUse;
}

export interface HostCapacityChange {
  readonly name: string;
  /** Null when the host is absent on that side. */
  readonly before: Usage | null;
  readonly after: Usage | null;
}

export interface Headroom {
  readonly reserve: PoolReserve;
  readonly satisfied: boolean;
  readonly worstCase: readonly string[];
  readonly spare: { readonly cpu: number; readonly memoryMiB: number };
}

export interface PoolHeadroomChange {
  readonly name: string;
  readonly before: Headroom | null;
  readonly after: Headroom | null;
}

export type SuppressedReviewFinding = Finding & {
  readonly reason: string;
  /** True when the base did not suppress it: this change adds the suppression (or the finding). */
  readonly new: boolean;
};

export interface FindingsDiff {
  /** Active in head, not in base (by rule id and target). */
  readonly new: readonly Finding[];
  /** Active in base, gone from head. */
  readonly resolved: readonly Finding[];
  /** Suppressed in head. */
  readonly suppressed: readonly SuppressedReviewFinding[];
}

/** A change to a resource that belongs to no VM (pools, networks, base images). */
export interface OtherResourceChange {
  readonly address: string;
  readonly stack: string;
  readonly action: 'create' | 'delete' | 'change';
  readonly effect?: ChangeEffect;
  readonly reasons: readonly string[];
}

/** What a change spends of the disruption budget (present only when a limit is set). */
export interface BudgetUse {
  readonly maxRestarts?: number;
  readonly maxMoves?: number;
  /** VMs the change restarts (`restartsVm` in review/budget.ts), in review order. */
  readonly restarts: readonly string[];
  /** VMs the change moves to another host. */
  readonly moves: readonly string[];
  readonly exceeded: readonly ('restarts' | 'moves')[];
}

export interface Review {
  readonly vms: readonly VmChange[];
  readonly dataLoss: readonly DataLoss[];
  readonly hosts: readonly HostCapacityChange[];
  readonly pools: readonly PoolHeadroomChange[];
  readonly findings: FindingsDiff;
  readonly resources: readonly OtherResourceChange[];
  /** Where the resource changes come from: a diff of two syntheses, or a Terraform plan. */
  readonly source: 'synth' | 'plan';
  /** Things the reader must know about how the review was made (a side that did not synthesize …). */
  readonly notes: readonly string[];
  /** The disruption budget and what the change spends of it; absent when no limit is set. */
  readonly budget?: BudgetUse;
}
