/** Rule ids per built-in pack, derived from the registry (test/policies/packs.test.ts pins the exact lists). */
import type { PackName } from './rule';
import { RULES } from './registry';

function idsOf(pack: PackName): readonly string[] {
  return RULES.filter((r) => r.pack === pack).map((r) => r.id);
}

export const PACKS: Readonly<Record<PackName, readonly string[]>> = {
  xen: idsOf('xen'),
  kvm: idsOf('kvm'),
  hybrid: idsOf('hybrid'),
  migration: idsOf('migration'),
  placement: idsOf('placement'),
  security: idsOf('security'),
};
