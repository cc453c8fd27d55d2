export { FleetStack, HybridStack, KvmStack, XenStack, isKvmHost, isXenHost, type FleetStackProps, type FleetStackPropsSource, type StackKind } from './fleet-stack';
export { buildFleetApp, type FleetAppOptions } from './fleet-app';
export { addBackend, BACKEND_TYPES } from './backend';
export { withoutCreationStacks } from './creation-stacks';
