import type { Rule } from '../../rule';
import { poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migNoSharedStorage: Rule = {
  id: 'MIG-NO-SHARED-STORAGE',
  pack: 'migration',
  severity: 'error',
  summary: 'A migration pool names its shared storage',
  rationale:
    'Live migration without shared storage must copy every disk (block migration), which loads network and storage and fails with ' +
    'read-only devices such as a cloud-init config drive. hyperplan pools migrate on shared storage mounted at the same path everywhere.',
  sources: [SRC.novaMigrations],
  check: (ctx) =>
    ctx.fleet.migrationPools
      .filter((pool) => pool.sharedStorage === undefined)
      .map((pool) => ({
        target: poolTarget(pool.name),
        message: `migration pool ${pool.name} has no sharedStorage; set sharedStorage: <name of a netfs/rbd/gluster/iscsi pool> reachable from all its hosts`,
      })),
};
