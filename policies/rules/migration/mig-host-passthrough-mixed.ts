import type { Rule } from '../../rule';
import { hostPassthroughUses, poolCpuModels } from '../helpers';
import { SRC } from '../sources';

export const migHostPassthroughMixed: Rule = {
  id: 'MIG-HOST-PASSTHROUGH-MIXED',
  pack: 'migration',
  severity: 'error',
  summary: 'host-passthrough CPUs are not used in pools whose hosts differ (or are not known to match)',
  rationale:
    'With host-passthrough the guest sees the source host\'s exact CPU; QEMU says migration is unsafe with it because that CPU ' +
    'cannot be guaranteed on the destination. Across different CPU models the guest can crash after migrating; use host-model or a named baseline.',
  sources: [SRC.qemuCpuModels, SRC.ovirtClusters],
  check: (ctx) =>
    hostPassthroughUses(ctx).flatMap(({ target, what, pool }) => {
      const models = poolCpuModels(ctx, pool);
      if (models.identical) return [];
      return [{
        target,
        message: `${what} uses host-passthrough in migration pool ${pool.name}, whose hosts ${models.description}; use cpuModel: host-model or a named baseline model`,
      }];
    }),
};
