/** Findings the engine itself reports about rules and the policy configuration (not about the fleet). */
import type { Rule } from './rule';

export type RuleInfo = Omit<Rule, 'check'>;

const POLICY_DOCS = 'https://github.com/cdklabs/cdk-nag#suppressing-a-rule';

export const ENGINE_ERROR: RuleInfo = {
  id: 'HP-ENGINE',
  pack: 'engine',
  severity: 'error',
  summary: 'A rule failed to run or returned malformed results',
  rationale:
    'A rule that throws must not hide the other rules\' findings nor pass silently: the engine turns the failure into an error naming the rule, so the check fails until the rule is fixed or disabled.',
  sources: ['https://github.com/cdklabs/cdk-nag#rules-and-packs'],
};

export const SUPPRESSION_EXPIRED: RuleInfo = {
  id: 'HP-SUPPRESSION-EXPIRED',
  pack: 'engine',
  severity: 'warning',
  summary: 'A suppression is past its expiry date',
  rationale: 'Expired suppressions stop applying, so the finding they covered is reported again; renew the suppression with a fresh reason or fix the finding.',
  sources: [POLICY_DOCS],
};

export const SUPPRESSION_UNUSED: RuleInfo = {
  id: 'HP-SUPPRESSION-UNUSED',
  pack: 'engine',
  severity: 'warning',
  summary: 'A suppression matches no finding',
  rationale: 'A suppression that matches nothing is stale (the finding was fixed or the target renamed); removing it keeps suppressions from piling up unnoticed.',
  sources: [POLICY_DOCS],
};

export const SUPPRESSION_INVALID: RuleInfo = {
  id: 'HP-SUPPRESSION-INVALID',
  pack: 'engine',
  severity: 'error',
  summary: 'A suppression has no real reason or a malformed expiry',
  rationale: 'Every suppression needs a reason a reviewer can judge and, if it expires, a YYYY-MM-DD date; an invalid one suppresses nothing.',
  sources: [POLICY_DOCS],
};

export const UNKNOWN_RULE: RuleInfo = {
  id: 'HP-POLICY-UNKNOWN-RULE',
  pack: 'engine',
  severity: 'warning',
  summary: 'The policy configures a rule id that does not exist',
  rationale: 'A misspelt rule id in `rules:` silently changes nothing; the engine reports it so the intended setting is applied.',
  sources: [POLICY_DOCS],
};

export const ENGINE_RULES: readonly RuleInfo[] = [ENGINE_ERROR, UNKNOWN_RULE, SUPPRESSION_EXPIRED, SUPPRESSION_INVALID, SUPPRESSION_UNUSED];
