import type { Rule } from '../../rule';
import { listNames } from '../helpers';
import { SRC } from '../sources';

export const plcIsolatedSharedHost: Rule = {
  id: 'PLC-ISOLATED-SHARED-HOST',
  pack: 'placement',
  severity: 'error',
  summary: 'Isolated VMs have their host to themselves',
  rationale:
    'securityClass isolated promises a dedicated host: co-located guests share caches, memory controllers and (with KSM) pages, ' +
    'which side channels exploit. The planner enforces it; pins or a stale lock file can still break it.',
  sources: [SRC.vusion, SRC.qemuSecurity],
  check: (ctx) =>
    [...ctx.placedOn].flatMap(([host, placed]) => {
      if (placed.length < 2) return [];
      return placed
        .filter((j) => j.vm.securityClass === 'isolated')
        .map((j) => ({
          target: j.target,
          message: `${j.vm.name} is isolated but shares host ${host} with ${listNames(placed.filter((o) => o !== j).map((o) => o.vm.name))}; give it a dedicated host (remove pins or conflicting lock entries)`,
        }));
    }),
};
