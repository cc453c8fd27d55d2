import type { Fleet as FleetModel } from '../fleet/model';
import type { PlanResult } from '../planner/types';

/** A validated fleet with its placement, as the stacks and `HyperplanChecks` see it. */
export interface ResolvedFleet {
  readonly model: FleetModel;
  readonly placement: PlanResult;
}

/** The construct that owns a fleet's stacks (`Fleet`), as the checks use it. */
export interface FleetScope {
  resolve(): ResolvedFleet;
}

export function isFleetScope(x: unknown): x is FleetScope {
  return typeof x === 'object' && x !== null && typeof (x as Partial<FleetScope>).resolve === 'function';
}
