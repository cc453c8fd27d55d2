import type { Rule, RuleResult } from '../../rule';
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
  check: (ctx) => {
    const results: RuleResult[] = [];
    // Loops: a list per host for `flatMap` to join, of 1,000 hosts nearly all without an isolated VM, was most of the rule's time.
    for (const [host, placed] of ctx.placedOn) {
      if (placed.length < 2) continue;
      for (let i = 0; i < placed.length; i += 1) {
        const j = placed[i]!;
        if (j.vm.securityClass !== 'isolated') continue;
        results.push({
          target: j.target,
          message: `${j.vm.name} is isolated but shares host ${host} with ${listNames(placed.filter((o) => o !== j).map((o) => o.vm.name))}; give it a dedicated host (remove pins or conflicting lock entries)`,
        });
      }
    }
    return results;
  },
};
