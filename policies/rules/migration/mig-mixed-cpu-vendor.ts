import type { Rule } from '../../rule';
import { cpuVendorOf, poolMembers, poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migMixedCpuVendor: Rule = {
  id: 'MIG-MIXED-CPU-VENDOR',
  pack: 'migration',
  severity: 'error',
  summary: 'A migration pool\'s hosts share one CPU vendor',
  rationale:
    'Live migration between Intel and AMD is not supported: oVirt requires one vendor per cluster, and a baseline CPU cannot hide ' +
    'vendor-specific behaviour. Split the pool by vendor. A host without cpuVendor has its vendor inferred from a known QEMU CPU ' +
    'model name (EPYC*, Opteron_G* are AMD; Skylake-Server, Cascadelake-Server, Icelake-Server, SapphireRapids … are Intel).',
  sources: [SRC.ovirtClusters, SRC.qemuCpuModels, SRC.qemuCpuDefinitions],
  check: (ctx) =>
    ctx.fleet.migrationPools.flatMap((pool) => {
      const byVendor = new Map<string, string[]>();
      for (const host of poolMembers(ctx, pool)) {
        const vendor = cpuVendorOf(host);
        if (vendor === undefined) continue;
        byVendor.set(vendor, [...(byVendor.get(vendor) ?? []), host.name]);
      }
      if (byVendor.size < 2) return [];
      const detail = [...byVendor].map(([vendor, hosts]) => `${vendor}: ${hosts.join(', ')}`).join('; ');
      return [{
        target: poolTarget(pool.name),
        message: `migration pool ${pool.name} mixes CPU vendors (${detail}); split it into one pool per vendor`,
      }];
    }),
};
