import type { Rule } from '../../rule';
import { poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migReserveNone: Rule = {
  id: 'MIG-RESERVE-NONE',
  pack: 'migration',
  severity: 'info',
  summary: 'Migration pools declare a reserve (n+1 or n+2)',
  rationale: 'A pool with reserve none may be packed so full that no host can be drained for maintenance; say so deliberately.',
  sources: [SRC.vsphereAdmission],
  check: (ctx) =>
    ctx.fleet.migrationPools
      .filter((pool) => pool.reserve === 'none')
      .map((pool) => ({
        target: poolTarget(pool.name),
        message: `migration pool ${pool.name} has reserve none, so no host is guaranteed drainable; set reserve: n+1 unless the pool may be packed full`,
      })),
};
