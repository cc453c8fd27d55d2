/**
 * Taking observed hosts into the lock file: where each VM really runs (after an HA restart, a manual
 * `virsh migrate`, a drain done by hand) becomes its locked placement when the placement rules accept it
 * there — the planner decides, by keeping the observed host as a locked placement or moving the VM off
 * it — and a conflict with the planner's reason otherwise. Pure: data in, data out.
 */
import type { Fleet } from '../fleet/model';
import { nameRecord } from '../fleet/name-record';
import type { Lock } from './lock';
import { plan } from './plan';

/** A fleet VM found on a host. */
export interface Observation {
  readonly vm: string;
  readonly host: string;
  readonly uuid: string;
}

export interface ReconcileConflict {
  readonly vm: string;
  /** Where the VM runs (every host it was found on). */
  readonly observed: readonly string[];
  /** Where the plan puts it; undefined when no host can take it. */
  readonly planned?: string;
  readonly reason: string;
}

export interface ReconcileResult {
  /** The lock to write: observed hosts the rules accept, every UUID seen. */
  readonly lock: Lock;
  /** The placement the VMs were locked to (or planned to, without a lock), with the UUIDs seen. */
  readonly current: Lock;
  /** VMs whose observed host the rules accept (moved or not). */
  readonly accepted: readonly Observation[];
  readonly conflicts: readonly ReconcileConflict[];
}

export function reconcile(fleet: Fleet, lock: Lock | undefined, observations: readonly Observation[]): ReconcileResult {
  const currentPlacements = lock?.placements ?? plan(fleet).placements;
  const byVm = new Map<string, Observation[]>();
  for (const o of observations) byVm.set(o.vm, [...(byVm.get(o.vm) ?? []), o]);
  const conflicts: ReconcileConflict[] = [];
  const single: Observation[] = [];
  for (const [vm, found] of [...byVm].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const hosts = [...new Set(found.map((o) => o.host))].sort();
    if (hosts.length > 1) conflicts.push({ vm, observed: hosts, reason: `defined on ${hosts.join(' and ')}; undefine the stale copy first` });
    else single.push(found[0]!);
  }
  const candidate = nameRecord<string>();
  for (const [vm, host] of Object.entries(currentPlacements)) candidate[vm] = host;
  for (const o of single) candidate[o.vm] = o.host;
  const planned = plan(fleet, { version: 1, placements: candidate });
  const accepted: Observation[] = [];
  const placements = nameRecord<string>();
  for (const [vm, host] of Object.entries(currentPlacements)) placements[vm] = host;
  for (const o of single) {
    const to = planned.placements[o.vm];
    if (to === o.host) {
      accepted.push(o);
      placements[o.vm] = o.host;
      continue;
    }
    const moved = planned.moves.find((m) => m.vm === o.vm);
    const unplaced = planned.unplaced.find((u) => u.vm === o.vm);
    const reason = moved?.reason ?? (unplaced ? `no host can take it (${unplaced.reasons[o.host] ?? 'see hyperplan explain'})` : `the plan puts it on ${to}`);
    conflicts.push({ vm: o.vm, observed: [o.host], ...(to !== undefined ? { planned: to } : {}), reason: `the placement rules do not accept ${o.host}: ${reason}` });
  }
  const uuids = nameRecord<string>();
  for (const [vm, uuid] of Object.entries(lock?.uuids ?? {})) uuids[vm] = uuid;
  for (const o of single) uuids[o.vm] = o.uuid;
  conflicts.sort((a, b) => (a.vm < b.vm ? -1 : 1));
  return {
    lock: { version: 1, placements, uuids },
    current: { version: 1, placements: currentPlacements, uuids },
    accepted,
    conflicts,
  };
}
