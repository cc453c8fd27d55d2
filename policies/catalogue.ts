/** Rule metadata for listings, docs and SARIF: built-in rules, custom rules, and the engine's own findings. */
import { ENGINE_RULES, type RuleInfo } from './engine-rules';
import { RULES } from './registry';
import { PACK_NAMES, type Rule } from './rule';

function info({ id, pack, severity, summary, rationale, sources }: RuleInfo): RuleInfo {
  return { id, pack, severity, summary, rationale, sources };
}

/** Built-in packs in their documented order, then any other pack (custom). */
function packRank(pack: string): number {
  const index = (PACK_NAMES as readonly string[]).indexOf(pack);
  return index === -1 ? PACK_NAMES.length : index;
}

/** Every rule's metadata, by pack (xen, kvm, hybrid, migration, placement, security, custom) then id; engine entries last. */
export function catalogue(customRules: readonly Rule[] = []): RuleInfo[] {
  const order = (a: RuleInfo, b: RuleInfo): number => packRank(a.pack) - packRank(b.pack) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...[...RULES, ...customRules].map(info).sort(order), ...ENGINE_RULES.map(info)];
}
