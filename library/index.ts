export { Fleet, type FleetOptions, type FleetProps, type FleetSections, type ResolvedFleet } from './fleet';
export { HyperplanChecks, type HyperplanChecksProps } from './hyperplan-checks';
export { FleetPropsError } from './props-error';
