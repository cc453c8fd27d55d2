/** Reads a policy file and its custom rules (I/O) into the config `evaluatePolicies` takes. */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PolicyConfig } from './config';
import { loadCustomRules } from './load-custom-rules';
import { parsePolicyFile } from './policy-file';

export type PolicyLoadResult = { readonly ok: true; readonly config: PolicyConfig } | { readonly ok: false; readonly problems: readonly string[] };

export async function loadPolicy(file: string): Promise<PolicyLoadResult> {
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
  if (customRules.length === 0) return { ok: true, config };
  const loaded = await loadCustomRules(customRules, dirname(file), file, config.locations);
  if (!loaded.ok) return loaded;
  return { ok: true, config: { ...config, customRules: loaded.rules } };
}
