/**
 * The failure simulator (planner/failure.ts) for the rules that judge survival, built once per evaluation:
 * its context and ledger cost as much as a small plan, and two rules share it. Keyed by the evaluation's
 * rule context, so it lives no longer than the evaluation does (a caller that keeps the placement, as
 * synthesis does for its stacks, does not keep the simulator and the fleet it was made from).
 */
import { FailureSimulator } from '../../planner/index';
import type { RuleContext } from '../rule';

const simulators = new WeakMap<RuleContext, FailureSimulator>();

export function failureSimulator(ctx: RuleContext): FailureSimulator {
  let simulator = simulators.get(ctx);
  if (simulator === undefined) {
    simulator = new FailureSimulator(ctx.fleet, ctx.placement.placements);
    simulators.set(ctx, simulator);
  }
  return simulator;
}
