import type { Rule } from '../../rule';
import { hostsOf, hostTarget, listNames } from '../helpers';
import { SRC } from '../sources';

export const xenMemOvercommitNoBalloon: Rule = {
  id: 'XEN-MEM-OVERCOMMIT-NO-BALLOON',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen hosts overcommit memory only when every guest on them declares balloon: true',
  rationale:
    'Xen gives each domain its whole memory at creation and never takes it back by itself: memory overcommit above 1.0 promises ' +
    'memory that does not exist unless guests balloon down (a balloon driver driven by the operator or XenServer DMC). The fleet ' +
    'acknowledges that by `balloon: true` on every VM placed on the host; the default (undeclared) does not count, because a ' +
    'balloon device alone frees nothing.',
  sources: [SRC.xenOvercommit, SRC.xlCfg],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      const placed = ctx.placedOn.get(h.name) ?? [];
      const unacknowledged = placed.filter((j) => j.vm.balloon !== true).map((j) => j.vm.name);
      if (h.overcommit.memory <= 1 || unacknowledged.length === 0) return [];
      return [{
        target: hostTarget(h.name),
        message:
          `Xen host ${h.name} overcommits memory ${h.overcommit.memory}x but ${unacknowledged.length} of its ${placed.length} VMs ` +
          `(${listNames(unacknowledged)}) do not declare balloon: true; Xen gives each domain its full memory, so set overcommit.memory: 1 ` +
          'or declare balloon: true on every VM there and balloon them down',
      }];
    }),
};
