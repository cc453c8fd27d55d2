export { evaluatePolicies, evaluatePoliciesDetailed, compareFindings } from './engine';
export type { PolicyResult, SuppressedFinding } from './engine';
export type { PolicyConfig, RuleSetting, Suppression } from './config';
export type { Finding, Severity } from './finding';
export type { Rule, RuleContext, RuleResult, JudgedVm, PackName } from './rule';
export { RULES } from './registry';
export { DEFAULT_THRESHOLDS } from './thresholds';
export type { Thresholds } from './thresholds';
