import type { Rule } from '../../rule';
import { hostPassthroughUses, poolCpuModels } from '../helpers';
import { SRC } from '../sources';

export const migHostPassthrough: Rule = {
  id: 'MIG-HOST-PASSTHROUGH',
  pack: 'migration',
  severity: 'warning',
  summary: 'host-passthrough CPUs are avoided in migration pools even when hosts match',
  rationale:
    'Identical CPU models can still differ in microcode, BIOS settings and kernel-exposed features; QEMU recommends host-passthrough ' +
    'only when live migration is not needed. Pools with differing hosts are reported by MIG-HOST-PASSTHROUGH-MIXED.',
  sources: [SRC.qemuCpuModels],
  check: (ctx) =>
    hostPassthroughUses(ctx).flatMap(({ target, what, pool }) => {
      const models = poolCpuModels(ctx, pool);
      if (!models.identical) return [];
      return [{
        target,
        message: `${what} uses host-passthrough in migration pool ${pool.name} (all hosts ${models.description}); prefer host-model, which libvirt migrates with a full CPU definition`,
      }];
    }),
};
