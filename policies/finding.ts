/** A policy finding: the contract of `hyperplan check --format json`. */
import type { SourceLocation } from '../fleet/model';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Fleet path of the object at fault: `vms[vault-1]`, `hosts[xen-s1].dom0`, `migrationPools[kvm-pool-a]`. */
  readonly target: string;
  /** What is wrong, the value, what is expected, and how to fix it. */
  readonly message: string;
  /** Where the target is in the fleet file, when the fleet was loaded from one. */
  readonly location?: SourceLocation;
  readonly sources: readonly string[];
}
