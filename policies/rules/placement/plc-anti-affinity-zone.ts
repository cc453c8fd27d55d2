import type { Rule } from '../../rule';
import { listNames, singleZoneGroups } from '../helpers';
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
  check: (ctx) =>
    singleZoneGroups(ctx).map(({ group, zone, members }) => ({
      target: members[0]!.target,
      message: `anti-affinity group ${group} (${listNames(members.map((j) => j.vm.name))}) is entirely in zone ${zone}; spread it with zone pins or add capacity in another zone`,
    })),
};
