import type { Rule } from '../../rule';
import { listNames, poolMembers, poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migMixedHypervisor: Rule = {
  id: 'MIG-MIXED-HYPERVISOR',
  pack: 'migration',
  severity: 'error',
  summary: 'A migration pool holds hosts of its own hypervisor only',
  rationale:
    'Xen migrates with libxl "migration v2" streams and KVM with QEMU/libvirt streams; the formats are incompatible, so there is no ' +
    'live migration between KVM and Xen (moves across are offline conversions).',
  sources: [SRC.xenMigration, SRC.novaMigrations],
  check: (ctx) =>
    ctx.fleet.migrationPools.flatMap((pool) => {
      const foreign = poolMembers(ctx, pool).filter((h) => h.hypervisor !== pool.hypervisor);
      if (foreign.length === 0) return [];
      return [{
        target: poolTarget(pool.name),
        message: `migration pool ${pool.name} is ${pool.hypervisor} but contains ${listNames(foreign.map((h) => `${h.name} (${h.hypervisor})`))}; live migration between KVM and Xen is impossible — move those hosts to a ${foreign[0]?.hypervisor} pool`,
      }];
    }),
};
