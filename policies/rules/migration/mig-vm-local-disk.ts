import type { Rule } from '../../rule';
import { findingsPer, migratable } from '../helpers';
import { SRC } from '../sources';

export const migVmLocalDisk: Rule = {
  id: 'MIG-VM-LOCAL-DISK',
  pack: 'migration',
  severity: 'warning',
  summary: 'Disks of VMs in a migration pool live on shared storage',
  rationale:
    'A disk on a host-local pool (dir, logical…) can only move by block migration, which copies it over the network, loads storage ' +
    'and fails with read-only devices such as a cloud-init config drive. A warning rather than an error because block migration ' +
    'may be set up deliberately; put the disks on the pool\'s sharedStorage to migrate live.',
  sources: [SRC.novaMigrations],
  check: (ctx) =>
    findingsPer(migratable(ctx), (m) => m.judged.effective.disks, ({ judged: j, pool }, d) =>
      d.pool !== undefined && ctx.storagePools.get(d.pool)?.shared === false
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} (migration pool ${pool.name}) is on local pool ${d.pool}, so live migration must copy it${j.vm.cloudInit ? ' and fails with its cloud-init drive' : ''}; put it on pool ${pool.sharedStorage ?? '<shared pool>'}`,
          }
        : undefined),
};
