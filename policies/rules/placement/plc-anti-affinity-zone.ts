import type { JudgedVm, Rule } from '../../rule';
import { listNames } from '../helpers';
import { SRC } from '../sources';

export const plcAntiAffinityZone: Rule = {
  id: 'PLC-ANTI-AFFINITY-ZONE',
  pack: 'placement',
  severity: 'warning',
  summary: 'An anti-affinity group spans more than one zone when the fleet has several',
  rationale:
    'Anti-affinity keeps replicas off one host, but a whole zone (rack, power feed, switch) can fail at once; with two or more zones ' +
    'available, a group entirely in one zone has a single point of failure the fleet could have avoided.',
  sources: [SRC.vsphereAdmission],
  check: (ctx) => {
    if (ctx.zones.size < 2) return [];
    const groups = new Map<string, JudgedVm[]>();
    for (const j of ctx.judged) {
      if (j.vm.antiAffinity === undefined || !j.host) continue;
      groups.set(j.vm.antiAffinity, [...(groups.get(j.vm.antiAffinity) ?? []), j]);
    }
    return [...groups].flatMap(([group, members]) => {
      const zones = new Set(members.map((j) => j.host?.zone));
      const [zone] = zones;
      if (members.length < 2 || zones.size !== 1 || zone === undefined) return [];
      const first = members[0] as JudgedVm;
      return [{
        target: first.target,
        message: `anti-affinity group ${group} (${listNames(members.map((j) => j.vm.name))}) is entirely in zone ${zone}; spread it with zone pins or add capacity in another zone`,
      }];
    });
  },
};
