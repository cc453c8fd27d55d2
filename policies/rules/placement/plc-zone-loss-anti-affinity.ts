import type { JudgedVm, Rule, RuleResult } from '../../rule';
import { listNames, singleZoneGroups } from '../helpers';
import { failureSimulator } from '../failure-simulation';
import { SRC } from '../sources';

export const plcZoneLossAntiAffinity: Rule = {
  id: 'PLC-ZONE-LOSS-ANTI-AFFINITY',
  pack: 'placement',
  severity: 'warning',
  summary: 'Losing one zone does not lose every VM of an anti-affinity group: some member can restart elsewhere',
  rationale:
    'PLC-ANTI-AFFINITY-ZONE flags a group placed in one zone; this rule asks what a zone failure (a rack, a power feed) then does. ' +
    'It fails the zone and restarts the members of such groups first with every placement filter, as `hyperplan simulate --fail zone:NAME` ' +
    'does; when none finds a host outside the zone (pinned, zone-bound, pool-bound or no room), the whole service is down until the zone returns.',
  sources: [SRC.vsphereAdmission],
  check: (ctx) => {
    // Groups wholly inside one zone, by zone: each zone fails once, their members restarting first.
    const byZone = new Map<string, { group: string; members: readonly JudgedVm[] }[]>();
    for (const { group, zone, members } of [...singleZoneGroups(ctx)].sort((a, b) => (a.group < b.group ? -1 : 1))) {
      byZone.set(zone, [...(byZone.get(zone) ?? []), { group, members }]);
    }
    const simulator = failureSimulator(ctx);
    const results: RuleResult[] = [];
    for (const [zone, inZone] of [...byZone].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const failed = ctx.fleet.hosts.filter((h) => h.zone === zone).map((h) => h.name);
      const lost = new Set(simulator.lostFirst(failed, new Set(inZone.flatMap((g) => g.members.map((j) => j.vm.name)))));
      for (const { group, members } of inZone) {
        const names = members.map((j) => j.vm.name);
        if (!names.every((n) => lost.has(n))) continue;
        results.push({
          target: members[0]!.target,
          message: `losing zone ${zone} loses every VM of anti-affinity group ${group} (${listNames(names)}): none can restart outside it (see \`hyperplan simulate --fail zone:${zone}\`); let some members run in another zone or its pool`,
        });
      }
    }
    return results;
  },
};
