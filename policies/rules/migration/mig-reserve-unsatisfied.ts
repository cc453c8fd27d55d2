import type { Rule } from '../../rule';
import { formatMiB, poolTarget } from '../helpers';
import { SRC } from '../sources';

export const migReserveUnsatisfied: Rule = {
  id: 'MIG-RESERVE-UNSATISFIED',
  pack: 'migration',
  severity: 'error',
  summary: 'Migration pools keep the spare capacity their reserve (n+1, n+2) promises',
  rationale:
    'HA admission control keeps room to restart or evacuate the VMs of the N worst hosts (vSphere assumes N=1); live migration ' +
    'also needs another host with room. The planner computes the headroom; a pool below it cannot drain or survive a host loss.',
  sources: [SRC.vsphereAdmission, SRC.harvesterMigration],
  check: (ctx) =>
    ctx.placement.pools
      .filter((p) => p.reserve !== 'none' && !p.satisfied)
      .map((p) => ({
        target: poolTarget(p.name),
        message: `migration pool ${p.name} does not satisfy reserve ${p.reserve}: losing ${p.worstCase.join(' and ')} leaves ${p.spare.cpu} vCPUs and ${formatMiB(p.spare.memoryMiB)} spare; add a host, move VMs out, or lower the reserve`,
      })),
};
