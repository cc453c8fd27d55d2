import type { Rule } from '../../rule';
import { hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenMemOvercommitNoBalloon: Rule = {
  id: 'XEN-MEM-OVERCOMMIT-NO-BALLOON',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen hosts overcommit memory only when their guests balloon',
  rationale:
    'Xen gives each domain its whole memory at creation; it does not overcommit by itself. Overcommit needs guests with a balloon ' +
    'driver (or XenServer DMC); without one, domain creation fails once the host is full.',
  sources: [SRC.xenOvercommit, SRC.xlCfg],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      const placed = ctx.placedOn.get(h.name) ?? [];
      if (h.overcommit.memory <= 1 || placed.length === 0 || placed.some((j) => j.effective.balloon)) return [];
      return [{
        target: hostTarget(h.name),
        message: `Xen host ${h.name} overcommits memory ${h.overcommit.memory}x but none of its ${placed.length} VMs has a balloon; set overcommit.memory: 1 or enable balloon on its VMs`,
      }];
    }),
};
