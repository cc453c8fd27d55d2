import type { Rule } from '../../rule';
import { poolMembers, poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migMixedCpuVendor: Rule = {
  id: 'MIG-MIXED-CPU-VENDOR',
  pack: 'migration',
  severity: 'error',
  summary: 'A migration pool\'s hosts share one CPU vendor',
  rationale:
    'Live migration between Intel and AMD is not supported: oVirt requires one vendor per cluster, and a baseline CPU cannot hide ' +
    'vendor-specific behaviour. Split the pool by vendor.',
  sources: [SRC.ovirtClusters, SRC.qemuCpuModels],
  check: (ctx) =>
    ctx.fleet.migrationPools.flatMap((pool) => {
      const byVendor = new Map<string, string[]>();
      for (const host of poolMembers(ctx, pool)) {
        if (host.cpuVendor === undefined) continue;
        byVendor.set(host.cpuVendor, [...(byVendor.get(host.cpuVendor) ?? []), host.name]);
      }
      if (byVendor.size < 2) return [];
      const detail = [...byVendor].map(([vendor, hosts]) => `${vendor}: ${hosts.join(', ')}`).join('; ');
      return [{
        target: poolTarget(pool.name),
        message: `migration pool ${pool.name} mixes CPU vendors (${detail}); split it into one pool per vendor`,
      }];
    }),
};
