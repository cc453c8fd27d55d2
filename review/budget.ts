/**
 * The disruption budget: how many VMs one change may restart and move (`review --max-restarts/--max-moves`,
 * or `budget:` in the policy file). A review over budget fails, listing the VMs that count.
 */
import type { DisruptionBudget } from '../policies/config';
import type { BudgetUse, VmChange } from './types';

/**
 * Whether the guest stops: a restart or a replacement does; a move does unless the review found it can
 * live-migrate with its state moved (`migration: 'live'`); creates, destroys and in-place updates are not restarts of a running
 * guest. The one place that decides it, so the rule can change in one line.
 */
export function restartsVm(change: Pick<VmChange, 'change' | 'migration'>): boolean {
  if (change.change === 'restart' || change.change === 'replace') return true;
  return change.change === 'move' && change.migration !== 'live';
}

/** What the change spends of `budget`; undefined when no limit is set. */
export function budgetUse(vms: readonly VmChange[], budget: DisruptionBudget | undefined): BudgetUse | undefined {
  if (budget?.maxRestarts === undefined && budget?.maxMoves === undefined) return undefined;
  const restarts = vms.filter(restartsVm).map((v) => v.vm);
  const moves = vms.filter((v) => v.change === 'move').map((v) => v.vm);
  const exceeded: BudgetUse['exceeded'][number][] = [];
  if (budget.maxRestarts !== undefined && restarts.length > budget.maxRestarts) exceeded.push('restarts');
  if (budget.maxMoves !== undefined && moves.length > budget.maxMoves) exceeded.push('moves');
  return {
    ...(budget.maxRestarts !== undefined ? { maxRestarts: budget.maxRestarts } : {}),
    ...(budget.maxMoves !== undefined ? { maxMoves: budget.maxMoves } : {}),
    restarts,
    moves,
    exceeded,
  };
}
