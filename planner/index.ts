export {
  dom0Sizing, hostCapacity, XEN_CRASH_KERNEL_MIB, XEN_HYPERVISOR_MEMORY_MIB, type Dom0Sizing, type HostCapacity,
} from './capacity';
export { place, plan, type PlanOptions } from './plan';
export { lowerBound } from './lower-bound';
export { headroom } from './headroom';
export { serializeLock, parseLock, type Lock, type LockParse } from './lock';
export { explain, type Explanation, type ExplainResult, type HostExplanation, type HostMemory, type VmDemand } from './explain';
export {
  drain, liveMigration, liveMigrationBlocker, migrateCommand, MIGRATE_TRANSPORT_FLAGS, type DrainPlan, type DrainRebuild, type DrainResult, type DrainStep,
  type LiveMigration, type MigrateOptions,
} from './drain';
export type { Placement, PlaceResult, PlanResult, HostUsage, Move, PoolHeadroom, UnplacedVm, ResourceUse } from './types';
export { FailureSimulator, type BrokenReserve, type FailureScenario, type LostVm, type Restart } from './failure';
export {
  simulateFailures, DEFAULT_ENUMERATION_LIMIT, DEFAULT_SAMPLES, DEFAULT_SEED, type FailureRequest, type Sampling, type SimulateOptions, type Simulation,
  type SimulationResult,
} from './simulate';
export {
  planMaintenance, migrationSeconds, DEFAULT_BANDWIDTH_BITS, DEFAULT_PARALLEL, DIRTY_PAGE_FACTOR, type ColdVm, type MaintenanceMigration, type MaintenanceOptions,
  type MaintenancePlan, type MaintenanceResult, type MaintenanceTarget, type MaintenanceWave,
} from './maintenance';
