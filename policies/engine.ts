/**
 * The policy engine: runs the enabled rules over a fleet and its placement and returns findings in a
 * deterministic order (severity, rule id, target, message). Pure: no I/O, no clock (`config.today`).
 */
import type { Fleet } from '../fleet/model';
import type { Placement } from '../planner/types';
import { MIN_SUPPRESSION_REASON_LENGTH, type PolicyConfig, type Suppression } from './config';
import { buildContext } from './context';
import {
  ENGINE_ERROR, SUPPRESSION_EXPIRED, SUPPRESSION_INVALID, SUPPRESSION_UNUSED, UNKNOWN_RULE, type RuleInfo,
} from './engine-rules';
import type { Finding, Severity } from './finding';
import { locateIn } from '../fleet/locations';
import { RULES } from './registry';
import type { Rule, RuleContext } from './rule';
import { suppressionMatches } from './suppressions';
import { DEFAULT_THRESHOLDS } from './thresholds';

export type SuppressedFinding = Finding & { readonly reason: string };

export interface PolicyResult {
  /** Active findings: these decide the exit code. */
  readonly findings: readonly Finding[];
  /** Findings a suppression covered, with its reason, for reviewers. */
  readonly suppressed: readonly SuppressedFinding[];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.target, b.target) ||
    compareText(a.message, b.message)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isEnabled(rule: Rule, config: PolicyConfig): boolean {
  const explicit = config.rules?.[rule.id]?.enabled;
  if (explicit !== undefined) return explicit;
  return config.packs?.[rule.pack] ?? true;
}

/** Built-ins plus custom rules; a custom rule reusing an id is dropped and reported. */
function ruleSet(config: PolicyConfig, problems: Finding[]): Rule[] {
  const rules = [...RULES];
  const ids = new Set(rules.map((r) => r.id));
  for (const custom of config.customRules ?? []) {
    if (ids.has(custom.id)) {
      problems.push(meta(ENGINE_ERROR, `rules[${custom.id}]`,
        `custom rule ${custom.id} reuses the id of another rule and was not run; give it a unique id (e.g. prefix it with your organisation)`));
      continue;
    }
    ids.add(custom.id);
    rules.push(custom);
  }
  for (const id of Object.keys(config.rules ?? {})) {
    if (!ids.has(id)) {
      problems.push(meta(UNKNOWN_RULE, `rules[${id}]`,
        `the policy configures rule '${id}', which does not exist; check the id against 'hyperplan rules'`));
    }
  }
  return rules;
}

function meta(info: RuleInfo, target: string, message: string): Finding {
  return { ruleId: info.id, severity: info.severity, target, message, sources: info.sources };
}

function runRule(rule: Rule, ctx: RuleContext, severity: Severity): Finding[] {
  let results;
  try {
    results = rule.check(ctx);
  } catch (error) {
    return [meta(ENGINE_ERROR, `rules[${rule.id}]`,
      `rule ${rule.id} threw while checking the fleet (${describeError(error)}); its checks did not run — fix the rule or disable it under 'rules: { ${rule.id}: { enabled: false } }'`)];
  }
  if (!Array.isArray(results)) {
    return [meta(ENGINE_ERROR, `rules[${rule.id}]`, `rule ${rule.id} returned ${typeof results} instead of an array of { target, message }; fix the rule`)];
  }
  const findings: Finding[] = [];
  for (const result of results as unknown[]) {
    const { target, message } = (result ?? {}) as { target?: unknown; message?: unknown };
    if (typeof target !== 'string' || typeof message !== 'string') {
      findings.push(meta(ENGINE_ERROR, `rules[${rule.id}]`, `rule ${rule.id} returned a result without a string target and message; fix the rule`));
      continue;
    }
    const location = locateIn(ctx.fleet.locations, target);
    findings.push({ ruleId: rule.id, severity, target, message, ...(location ? { location } : {}), sources: rule.sources });
  }
  return findings;
}

interface ActiveSuppression {
  readonly suppression: Suppression;
  readonly path: string;
  used: boolean;
}

function withPolicyLocation(finding: Finding, config: PolicyConfig): Finding {
  const location = config.locations ? locateIn(config.locations, finding.target) : undefined;
  return location ? { ...finding, location } : finding;
}

/** Sorts the suppressions into usable ones and findings about invalid or expired ones. */
function activeSuppressions(config: PolicyConfig, problems: Finding[]): ActiveSuppression[] {
  const active: ActiveSuppression[] = [];
  (config.suppressions ?? []).forEach((suppression, index) => {
    const path = `suppressions[${index}]`;
    if (suppression.reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
      problems.push(meta(SUPPRESSION_INVALID, path,
        `suppression of ${suppression.rule} has reason '${suppression.reason}'; write at least ${MIN_SUPPRESSION_REASON_LENGTH} characters saying why the finding is acceptable`));
      return;
    }
    if (suppression.expires !== undefined && !DATE.test(suppression.expires)) {
      problems.push(meta(SUPPRESSION_INVALID, path,
        `suppression of ${suppression.rule} expires '${suppression.expires}'; write the date as YYYY-MM-DD`));
      return;
    }
    if (suppression.expires !== undefined && config.today !== undefined && suppression.expires < config.today) {
      problems.push(meta(SUPPRESSION_EXPIRED, path,
        `suppression of ${suppression.rule}${suppression.target ? ` for ${suppression.target}` : ''} expired on ${suppression.expires} and no longer applies; fix the finding or renew the suppression with a new date and reason`));
      return;
    }
    active.push({ suppression, path, used: false });
  });
  return active;
}

/** Runs the policies and returns active and suppressed findings separately. */
export function evaluatePoliciesDetailed(fleet: Fleet, placement: Placement, config: PolicyConfig = {}): PolicyResult {
  const problems: Finding[] = [];
  const rules = ruleSet(config, problems);
  const ctx = buildContext(fleet, placement, { ...DEFAULT_THRESHOLDS, ...config.thresholds });
  const raw: Finding[] = [];
  for (const rule of rules) {
    if (!isEnabled(rule, config)) continue;
    raw.push(...runRule(rule, ctx, config.rules?.[rule.id]?.severity ?? rule.severity));
  }
  const suppressions = activeSuppressions(config, problems);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of raw) {
    const match = suppressions.find((s) => suppressionMatches(s.suppression, finding.ruleId, finding.target));
    if (match) {
      match.used = true;
      suppressed.push({ ...finding, reason: match.suppression.reason });
    } else {
      findings.push(finding);
    }
  }
  for (const s of suppressions) {
    if (s.used) continue;
    problems.push(meta(SUPPRESSION_UNUSED, s.path,
      `suppression of ${s.suppression.rule}${s.suppression.target ? ` for ${s.suppression.target}` : ''} matches no finding; remove it (the finding is fixed or the target was renamed)`));
  }
  findings.push(...problems.map((p) => withPolicyLocation(p, config)));
  return { findings: findings.sort(compareFindings), suppressed: suppressed.sort(compareFindings) };
}

/** Runs the policies and returns the active (unsuppressed) findings. */
export function evaluatePolicies(fleet: Fleet, placement: Placement, config: PolicyConfig = {}): Finding[] {
  return [...evaluatePoliciesDetailed(fleet, placement, config).findings];
}
