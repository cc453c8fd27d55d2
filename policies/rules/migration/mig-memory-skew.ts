import type { Rule } from '../../rule';
import { formatMiB, poolMembers, poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migMemorySkew: Rule = {
  id: 'MIG-MEMORY-SKEW',
  pack: 'migration',
  severity: 'warning',
  summary: 'Migration pool members have similar memory sizes (largest/smallest ≤ thresholds.maxPoolMemorySkew, default 2)',
  rationale:
    'Reserve and drain plans assume a host\'s VMs fit on the others; when the biggest host has more than twice the smallest\'s ' +
    'memory, its VMs need most of the pool to land, and n+1 turns into much more spare capacity than planned.',
  sources: [SRC.vsphereAdmission, SRC.ovirtClusters],
  check: (ctx) =>
    ctx.fleet.migrationPools.flatMap((pool) => {
      const members = poolMembers(ctx, pool);
      if (members.length < 2) return [];
      const sorted = [...members].sort((a, b) => a.memoryMiB - b.memoryMiB);
      const smallest = sorted[0];
      const largest = sorted[sorted.length - 1];
      if (!smallest || !largest || largest.memoryMiB <= ctx.thresholds.maxPoolMemorySkew * smallest.memoryMiB) return [];
      return [{
        target: poolTarget(pool.name),
        message: `migration pool ${pool.name} mixes ${largest.name} (${formatMiB(largest.memoryMiB)}) with ${smallest.name} (${formatMiB(smallest.memoryMiB)}), more than ${ctx.thresholds.maxPoolMemorySkew}x apart; group hosts of similar size into pools`,
      }];
    }),
};
