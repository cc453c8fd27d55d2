export { dom0Sizing, hostCapacity, type Dom0Sizing, type HostCapacity } from './capacity';
export { plan, type PlanOptions } from './plan';
export { lowerBound } from './lower-bound';
export { headroom } from './headroom';
export { serializeLock, parseLock, type Lock, type LockParse } from './lock';
export { explain, type Explanation, type ExplainResult, type HostExplanation } from './explain';
export { drain, liveMigrationBlocker, migrateCommand, type DrainPlan, type DrainResult, type DrainStep } from './drain';
export type { Placement, PlanResult, HostUsage, Move, PoolHeadroom, UnplacedVm, ResourceUse } from './types';
