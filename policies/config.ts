/** What `evaluatePolicies` can be told: the in-memory form of `hyperplan.policy.yaml` plus loaded custom rules. */
import type { SourceLocation } from '../fleet/model';
import type { Severity } from './finding';
import type { Rule } from './rule';
import type { Thresholds } from './thresholds';

/** Reasons shorter than this say nothing a reviewer can check (cdk-nag requires real reasons too). */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

export interface RuleSetting {
  /** Run the rule even if its pack is off (true), or never (false). @default - follows the pack */
  readonly enabled?: boolean;
  /** @default - the rule's own severity */
  readonly severity?: Severity;
}

export interface Suppression {
  /** Rule id, or a glob over ids (`XEN-DOM0-*`). */
  readonly rule: string;
  /**
   * Glob over finding targets (`vms[web-*]`): `*` matches any run of characters except `.`, `[` and `]`,
   * `?` one such character. A suppression of an object also covers its parts (`vms[web-1]` covers
   * `vms[web-1].disks[0]`). @default - every target
   */
  readonly target?: string;
  /** Why this finding is acceptable; at least MIN_SUPPRESSION_REASON_LENGTH characters. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD) the suppression applies; afterwards it is itself a finding. @default - never expires */
  readonly expires?: string;
}

/** How many VMs one change may disrupt; `hyperplan review` fails above it. */
export interface DisruptionBudget {
  /** VMs restarted (restart, replace, or a move that cannot live-migrate). @default - no limit */
  readonly maxRestarts?: number;
  /** VMs moved to another host, live or not. @default - no limit */
  readonly maxMoves?: number;
}

export interface PolicyConfig {
  /** Packs switched on or off. @default - every pack on */
  readonly packs?: Readonly<Record<string, boolean>>;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly thresholds?: Partial<Thresholds>;
  readonly suppressions?: readonly Suppression[];
  /** The disruption budget `hyperplan review` holds changes to. @default - none */
  readonly budget?: DisruptionBudget;
  /** Rules loaded from the policy file's `customRules` (see `pipeline/load-custom-rules.ts`); run like built-ins. */
  readonly customRules?: readonly Rule[];
  /** Today's date (YYYY-MM-DD) for suppression expiry; the engine reads no clock. @default - nothing expires */
  readonly today?: string;
  /** Positions in the policy file keyed by path (`suppressions[0]`, `rules[XEN-PV-GUEST]`). */
  readonly locations?: Readonly<Record<string, SourceLocation>>;
}
