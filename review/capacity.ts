/**
 * Before/after tables from the planner's results (host usage after Dom0/host reservation, migration-pool
 * headroom) and the policy findings of both sides. Pure; the planner already did the arithmetic.
 */
import type { Finding } from '../policies/finding';
import { compareFindings, type SuppressedFinding } from '../policies/engine';
import type { Placement, PoolHeadroom } from '../planner/types';
import { compareText } from './terraform-json';
import type { FindingsDiff, Headroom, HostCapacityChange, PoolHeadroomChange, Usage } from './types';

/** Every host of either side, by name, with its usage on each side (null where absent). */
export function hostChanges(base: Placement | undefined, head: Placement | undefined): HostCapacityChange[] {
  const before = new Map((base?.hosts ?? []).map((h) => [h.name, h]));
  const after = new Map((head?.hosts ?? []).map((h) => [h.name, h]));
  const usage = (h: { cpu: Usage['cpu']; memoryMiB: Usage['memoryMiB'] } | undefined): Usage | null =>
    h ? { cpu: { used: h.cpu.used, capacity: h.cpu.capacity }, memoryMiB: { used: h.memoryMiB.used, capacity: h.memoryMiB.capacity } } : null;
  return [...new Set([...before.keys(), ...after.keys()])].sort(compareText).map((name) => ({ name, before: usage(before.get(name)), after: usage(after.get(name)) }));
}

/** True when the host's usage or capacity differs between the sides. */
export function hostChanged(host: HostCapacityChange): boolean {
  const { before: b, after: a } = host;
  if (!b || !a) return b !== a;
  return b.cpu.used !== a.cpu.used || b.cpu.capacity !== a.cpu.capacity || b.memoryMiB.used !== a.memoryMiB.used || b.memoryMiB.capacity !== a.memoryMiB.capacity;
}

function headroom(pool: PoolHeadroom | undefined): Headroom | null {
  return pool ? { reserve: pool.reserve, satisfied: pool.satisfied, worstCase: pool.worstCase, spare: pool.spare } : null;
}

export function poolChanges(base: Placement | undefined, head: Placement | undefined): PoolHeadroomChange[] {
  const before = new Map((base?.pools ?? []).map((p) => [p.name, p]));
  const after = new Map((head?.pools ?? []).map((p) => [p.name, p]));
  return [...new Set([...before.keys(), ...after.keys()])].sort(compareText).map((name) => ({ name, before: headroom(before.get(name)), after: headroom(after.get(name)) }));
}

export function poolChanged(pool: PoolHeadroomChange): boolean {
  return JSON.stringify(pool.before) !== JSON.stringify(pool.after);
}

/** Findings of one side: active and suppressed, as `evaluatePoliciesDetailed` returns them. */
export interface SideFindings {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}

const findingKey = (f: Finding): string => `${f.ruleId}\u0000${f.target}`;

/** New and resolved by rule id + target (messages may reword numbers without being a new problem). */
export function diffFindings(base: SideFindings | undefined, head: SideFindings | undefined): FindingsDiff {
  const baseActive = new Set((base?.findings ?? []).map(findingKey));
  const headActive = new Set((head?.findings ?? []).map(findingKey));
  const baseSuppressed = new Set((base?.suppressed ?? []).map(findingKey));
  return {
    new: (head?.findings ?? []).filter((f) => !baseActive.has(findingKey(f))).sort(compareFindings),
    resolved: (base?.findings ?? []).filter((f) => !headActive.has(findingKey(f))).sort(compareFindings),
    suppressed: (head?.suppressed ?? []).map((f) => ({ ...f, new: !baseSuppressed.has(findingKey(f)) })).sort(compareFindings),
  };
}
