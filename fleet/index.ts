export type * from './model';
export { Secret } from './secret';
export { loadFleet, loadFleetFromString } from './load';
export { locate, locateIn } from './locations';
export type { LoadOptions, LoadResult } from './load';
export { formatPath, formatProblem } from './problems';
export type { PathProblem, PathSegment, Problem } from './problems';
export { FleetBuilder } from './builder';
export type { FleetBuilderOptions } from './builder';
export { fleetJsonSchema, fleetJsonSchemaText } from './json-schema';
export { parseSize, sizeToMiB } from './sizes';
export { fleetFileSchema, API_VERSION, NAME_PATTERN } from './schema';
export type {
  DefaultsInput, FleetFileInput, HostInput, ImageInput, MigrationPoolInput, NetworkInput, StackInput, StoragePoolInput, VmInput,
} from './schema';
