export { FleetStack, HybridStack, KvmStack, XenStack, isKvmHost, isXenHost, type FleetStackProps, type FleetStackPropsSource, type StackKind } from './fleet-stack';
export {
  buildFleetApp, synthesizeFleet, stackSpecs, listFiles, PolicyGateError, HOST_PREP_DIR,
  type SynthOptions, type SynthSummary, type SynthesizedStack,
} from './fleet-app';
export { addBackend, BACKEND_TYPES } from './backend';
export { withoutCreationStacks } from './creation-stacks';
