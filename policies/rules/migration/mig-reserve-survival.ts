import type { Rule, RuleResult } from '../../rule';
import { listNames, poolTarget } from '../helpers';
import { failureSimulator } from '../failure-simulation';
import { SRC } from '../sources';

/** Host count per reserve: n+1 survives any one member's loss, n+2 any two. */
const SURVIVES: Readonly<Record<string, number>> = { 'n+1': 1, 'n+2': 2 };

/** Every set of `size` (1 or 2) of `members`, in order. */
function sets(members: readonly string[], size: number): string[][] {
  if (size === 1) return members.map((m) => [m]);
  return members.flatMap((a, i) => members.slice(i + 1).map((b) => [a, b]));
}

export const migReserveSurvival: Rule = {
  id: 'MIG-RESERVE-SURVIVAL',
  pack: 'migration',
  severity: 'error',
  summary: 'A pool with reserve n+1 (n+2) restarts every VM of any one (two) failed members, as a failure simulation shows',
  rationale:
    'The planner keeps headroom with a first-fit evacuation inside the pool that ignores zone, affinity, NUMA and storage. ' +
    'This rule proves the promise independently: it fails each member (each pair for n+2) and restarts its VMs with every ' +
    'placement filter, as `hyperplan simulate` does; a VM that finds no host breaks the reserve HA admission control promises.',
  sources: [SRC.vsphereAdmission, SRC.harvesterMigration],
  check: (ctx) => {
    const simulator = failureSimulator(ctx);
    const results: RuleResult[] = [];
    for (const pool of [...ctx.migrationPools.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const size = SURVIVES[pool.reserve];
      const members = pool.hosts.filter((h) => ctx.hosts.has(h)).sort();
      if (size === undefined || members.length <= size) continue;
      for (const failed of sets(members, size)) {
        const broken = simulator.brokenBy(failed).find((b) => b.pool === pool.name);
        if (!broken) continue;
        results.push({
          target: poolTarget(pool.name),
          message:
            `migration pool ${pool.name} promises ${pool.reserve} but losing ${failed.join(' and ')} leaves ${listNames(broken.lost)} without a host ` +
            `(run \`hyperplan simulate --fail ${failed.length === 1 ? failed[0] : `any:${failed.length}`}\` for the reasons); add a host, move VMs out, or lower the reserve`,
        });
        break;
      }
    }
    return results;
  },
};
