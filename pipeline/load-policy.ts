/** Reads a policy file and its custom rules (I/O) into the config `evaluatePolicies` takes. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PolicyConfig } from '../policies/config';
import type { ReadBoundary } from '../fleet/confine';
import { loadCustomRules } from './load-custom-rules';
import { parsePolicyFile, POLICY_FILE_NAME } from '../policies/policy-file';

export type PolicyLoadResult =
  { readonly ok: true; readonly config: PolicyConfig } | { readonly ok: false; readonly problems: readonly string[] };

export interface PolicyLoadOptions {
  /** Date suppression expiry is judged against (YYYY-MM-DD). @default - today's UTC date: this module is the I/O edge */
  readonly today?: string;
  /** Where custom rule modules may be imported from. @default - anywhere (a policy file the caller trusts) */
  readonly boundary?: ReadBoundary;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Loads `file` (it must exist), imports its custom rules, and stamps the date for expiry checks. */
export async function loadPolicy(file: string, options: PolicyLoadOptions = {}): Promise<PolicyLoadResult> {
  const today = options.today ?? todayUtc();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, problems: [`${file}:1:1: cannot read the policy file (${code})`] };
  }
  const parsed = parsePolicyFile(text, file);
  if (!parsed.ok) return parsed;
  const { config, customRules } = parsed.policy;
  if (customRules.length === 0) return { ok: true, config: { ...config, today } };
  const loaded = await loadCustomRules(customRules, dirname(file), file, config.locations, options.boundary);
  if (!loaded.ok) return loaded;
  return { ok: true, config: { ...config, customRules: loaded.rules, today } };
}

/**
 * The policy for a fleet: `policyFile` when given (it must exist), else `hyperplan.policy.yaml` beside
 * the fleet file when present, else the defaults (every pack on, default severities).
 */
export async function loadPolicyFor(fleetFile: string, policyFile?: string, options: PolicyLoadOptions = {}): Promise<PolicyLoadResult> {
  const file = policyFile ?? join(dirname(fleetFile), POLICY_FILE_NAME);
  if (policyFile === undefined && !existsSync(file)) return { ok: true, config: { today: options.today ?? todayUtc() } };
  return loadPolicy(file, options);
}
