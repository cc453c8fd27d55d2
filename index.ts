// The `hyperplan` package: the construct-first API, the stacks and constructs below it, and the fleet
// model. Policies (custom rules) are `hyperplan/policies`; the prebuilt libvirt bindings are
// `hyperplan/providers/libvirt`.
export { Fleet, FleetPropsError, HyperplanChecks, type FleetOptions, type FleetProps, type FleetSections, type HyperplanChecksProps, type ResolvedFleet } from './library/index';
export {
  FleetStack, HybridStack, KvmStack, XenStack, isKvmHost, isXenHost, buildFleetApp, type FleetStackProps, type FleetStackPropsSource, type StackKind,
} from './stacks/index';
export { synthesizeFleet, PolicyGateError, type SynthOptions, type SynthSummary, type SynthesizedStack } from './pipeline/synth';
export * from './constructs/index';
export {
  FleetBuilder, loadFleet, loadFleetFromString, formatProblem, parseSize, sizeToMiB, fleetJsonSchema, API_VERSION,
  type FleetBuilderOptions, type LoadOptions, type LoadResult, type Problem,
  type DefaultsInput, type FleetFileInput, type HostInput, type ImageInput, type MigrationPoolInput, type NetworkInput, type StackInput,
  type StoragePoolInput, type VmInput,
} from './fleet/index';
export type { Fleet as FleetModel, Host, Vm, Hypervisor } from './fleet/model';
export { plan, parseLock, serializeLock, explain, type Lock, type Placement, type PlanResult } from './planner/index';
