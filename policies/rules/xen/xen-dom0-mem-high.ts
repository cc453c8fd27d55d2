import type { Rule } from '../../rule';
import { formatMiB, hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenDom0MemHigh: Rule = {
  id: 'XEN-DOM0-MEM-HIGH',
  pack: 'xen',
  severity: 'warning',
  summary: 'Dom0 takes no more than a set share of host memory (thresholds.maxDom0Fraction, default 25%)',
  rationale:
    'Memory fixed for Dom0 is lost to guests. XenServer caps its default at 8 GiB; a Dom0 above a quarter of the host is usually a ' +
    'unit mistake (GiB for MiB) or a leftover, and wastes capacity the planner could place VMs in.',
  sources: [SRC.xenServerMemory, SRC.xenCommandLine],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      const memory = h.dom0?.memoryMiB;
      const limit = ctx.thresholds.maxDom0Fraction * h.memoryMiB;
      if (memory === undefined || memory <= limit) return [];
      return [{
        target: `${hostTarget(h.name)}.dom0`,
        message: `Dom0 of ${h.name} has ${formatMiB(memory)}, more than ${Math.round(ctx.thresholds.maxDom0Fraction * 100)}% of the host's ${formatMiB(h.memoryMiB)} (${formatMiB(limit)}); lower dom0.memory (check the unit) or raise thresholds.maxDom0Fraction in the policy file`,
      }];
    }),
};
