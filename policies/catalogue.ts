/** Rule metadata for listings, docs and SARIF: built-in rules, custom rules, and the engine's own findings. */
import { ENGINE_RULES, type RuleInfo } from './engine-rules';
import { RULES } from './registry';
import type { Rule } from './rule';

function info({ id, pack, severity, summary, rationale, sources }: RuleInfo): RuleInfo {
  return { id, pack, severity, summary, rationale, sources };
}

/** Every rule's metadata, sorted by pack order then id; engine entries last. */
export function catalogue(customRules: readonly Rule[] = []): RuleInfo[] {
  const byId = (a: RuleInfo, b: RuleInfo): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...[...RULES, ...customRules].map(info).sort(byId), ...ENGINE_RULES.map(info)];
}
