import type { Rule } from '../../rule';
import { poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migStorageNotShared: Rule = {
  id: 'MIG-STORAGE-NOT-SHARED',
  pack: 'migration',
  severity: 'error',
  summary: 'A migration pool\'s sharedStorage is a shared storage pool',
  rationale:
    'Shared storage must be the same data at the same path on every host (NFS, Ceph RBD, Gluster, iSCSI…); a dir or logical pool is ' +
    'local to each host, so the destination would see a different (or no) disk.',
  sources: [SRC.novaMigrations],
  check: (ctx) =>
    ctx.fleet.migrationPools.flatMap((pool) => {
      if (pool.sharedStorage === undefined) return [];
      const storage = ctx.storagePools.get(pool.sharedStorage);
      if (storage?.shared) return [];
      const found = storage ? `type ${storage.type}, which is local to each host` : 'not a declared storage pool';
      return [{
        target: poolTarget(pool.name),
        message: `migration pool ${pool.name} uses sharedStorage ${pool.sharedStorage}, ${found}; point it at a shared pool (netfs, rbd, gluster, iscsi)`,
      }];
    }),
};
