/**
 * Why a VM is where it is: for every host, each filter's verdict and each weigher's score, judged against
 * the final plan with the VM itself taken out.
 */
import type { Fleet } from '../fleet/model';
import { checkFilter, FILTERS } from './filters';
import type { Lock } from './lock';
import { runPlan } from './plan';
import { WEIGHERS } from './weighers';

export interface FilterVerdict {
  readonly filter: string;
  readonly pass: boolean;
  readonly reason?: string;
}

export interface WeigherScore {
  readonly weigher: string;
  readonly weight: number;
  readonly score: number;
}

export interface HostExplanation {
  readonly host: string;
  /** Every filter, in the order they are applied. */
  readonly filters: readonly FilterVerdict[];
  readonly eligible: boolean;
  /** Weigher scores; empty when a filter removed the host. */
  readonly weighers: readonly WeigherScore[];
  readonly total?: number;
}

export interface Explanation {
  readonly vm: string;
  /** The host the plan chose, undefined when the VM stays unplaced. */
  readonly chosen?: string;
  readonly hosts: readonly HostExplanation[];
}

export type ExplainResult = { readonly ok: true; readonly explanation: Explanation } | { readonly ok: false; readonly problem: string };

export function explain(fleet: Fleet, vmName: string, lock?: Lock): ExplainResult {
  const { ctx, ledger, result } = runPlan(fleet, lock);
  const index = ctx.vmIndex.get(vmName);
  if (index === undefined) return { ok: false, problem: `no VM named ${vmName} in the fleet` };
  const vm = ctx.vms[index]!;
  ledger.unassign(index);
  const hosts = ctx.hosts.map((host): HostExplanation => {
    const filters = FILTERS.map((filter): FilterVerdict => {
      const verdict = checkFilter(filter, ctx, ledger, vm, host);
      return verdict.pass ? { filter: filter.name, pass: true } : { filter: filter.name, pass: false, reason: verdict.reason };
    });
    const eligible = filters.every((f) => f.pass);
    if (!eligible) return { host: host.host.name, filters, eligible, weighers: [] };
    const weighers = WEIGHERS.map((w) => ({ weigher: w.name, weight: w.weight, score: w.score(ctx, ledger, vm, host) }));
    return { host: host.host.name, filters, eligible, weighers, total: weighers.reduce((sum, w) => sum + w.weight * w.score, 0) };
  });
  const chosen = result.placements[vmName];
  return { ok: true, explanation: { vm: vmName, ...(chosen === undefined ? {} : { chosen }), hosts } };
}
