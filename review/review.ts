/** Assembles the review from both sides: resource changes, VM verdicts, capacity, headroom and findings. */
import type { DisruptionBudget } from '../policies/config';
import { budgetUse } from './budget';
import { diffFindings, hostChanges, poolChanges, type SideFindings } from './capacity';
import { diffResources, type ResourceChange } from './resource-diff';
import { secretComparisonNote } from './secret-values';
import type { Review } from './types';
import { classifyVms, type ReviewSide } from './vm-changes';

export interface ReviewSideInput extends ReviewSide {
  readonly findings?: SideFindings;
}

export interface ReviewInput {
  readonly base: ReviewSideInput;
  readonly head: ReviewSideInput;
  /** Resource changes from a Terraform plan; without them the two syntheses are diffed. */
  readonly planChanges?: readonly ResourceChange[];
  readonly notes?: readonly string[];
  /** Key of the digests shown for hidden values (HYPERPLAN_FINGERPRINT_KEY). @default - see review/secret-values.ts */
  readonly digestKey?: string;
  /** Limits on restarted and moved VMs; over them the review fails. @default - no limit */
  readonly budget?: DisruptionBudget;
}

export function buildReview(input: ReviewInput): Review {
  const changes = input.planChanges ?? diffResources(input.base.index, input.head.index, input.digestKey === undefined ? {} : { digestKey: input.digestKey });
  const secretNote = input.planChanges ? undefined : secretComparisonNote(input.base.index, input.head.index);
  const { vms, dataLoss, resources } = classifyVms(changes, input.base, input.head);
  const budget = budgetUse(vms, input.budget);
  return {
    vms,
    dataLoss,
    hosts: hostChanges(input.base.placement, input.head.placement),
    pools: poolChanges(input.base.placement, input.head.placement),
    findings: diffFindings(input.base.findings, input.head.findings),
    resources,
    source: input.planChanges ? 'plan' : 'synth',
    notes: [...(input.notes ?? []), ...(secretNote ? [secretNote] : [])],
    ...(budget ? { budget } : {}),
  };
}

export type FailOn = 'errors' | 'data-loss' | 'both' | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['errors', 'data-loss', 'both', 'none'];

/** New error findings in head. */
export function newErrors(review: Review): number {
  return review.findings.new.filter((f) => f.severity === 'error').length;
}

/** Data volumes that apply would really destroy (not stopped by prevent_destroy or a provider error). */
export function unprotectedDataLoss(review: Review): number {
  return review.dataLoss.filter((d) => !d.blocked).length;
}

/** 1 when the review must fail the check under `failOn` (an exceeded disruption budget fails unless `none`), else 0. */
export function reviewExitCode(review: Review, failOn: FailOn): 0 | 1 {
  const errors = (failOn === 'errors' || failOn === 'both') && newErrors(review) > 0;
  const loss = (failOn === 'data-loss' || failOn === 'both') && unprotectedDataLoss(review) > 0;
  const overBudget = failOn !== 'none' && (review.budget?.exceeded.length ?? 0) > 0;
  return errors || loss || overBudget ? 1 : 0;
}
