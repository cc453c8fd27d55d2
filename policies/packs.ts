/** Rule ids per built-in pack, derived from the registry (test/policies/packs.test.ts pins the exact lists). */
import { PACK_NAMES, type PackName } from './rule';
import { RULES } from './registry';

export const PACKS: Readonly<Record<PackName, readonly string[]>> = Object.fromEntries(
  PACK_NAMES.map((pack) => [pack, RULES.filter((r) => r.pack === pack).map((r) => r.id)]),
) as Record<PackName, readonly string[]>;
