/**
 * The failure simulator (planner/failure.ts) for the rules that judge survival, built once per checked
 * placement: its context and ledger cost as much as a small plan, and two rules share it.
 */
import type { Fleet } from '../../fleet/model';
import { FailureSimulator } from '../../planner/index';
import type { Placement } from '../../planner/types';

const simulators = new WeakMap<Placement, { readonly fleet: Fleet; readonly simulator: FailureSimulator }>();

export function failureSimulator(fleet: Fleet, placement: Placement): FailureSimulator {
  const known = simulators.get(placement);
  if (known && known.fleet === fleet) return known.simulator;
  const simulator = new FailureSimulator(fleet, placement.placements);
  simulators.set(placement, { fleet, simulator });
  return simulator;
}
