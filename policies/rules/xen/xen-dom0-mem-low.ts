import type { Rule } from '../../rule';
import { XEN_DOM0_MEMORY_CAP_MIB } from '../../../planner/capacity';
import { DOM0_MIN_MIB, recommendedDom0MiB, formatMiB, hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenDom0MemLow: Rule = {
  id: 'XEN-DOM0-MEM-LOW',
  pack: 'xen',
  severity: 'warning',
  summary: `Dom0 memory is at least min(1 GiB + 5% of host memory, ${XEN_DOM0_MEMORY_CAP_MIB / 1024} GiB)`,
  rationale:
    'XenServer 8 sizes Dom0 at 1 GiB plus 5% of host memory, capped at 8 GiB initially, and advises more for many VMs; ' +
    'the Xen wiki calls 1 GiB a starting point because each HVM guest adds a device model in Dom0. ' +
    `Sizes below ${DOM0_MIN_MIB} MiB are reported by XEN-DOM0-MEM-MIN instead.`,
  sources: [SRC.xenServerMemory, SRC.xenBestPractices],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      const memory = h.dom0?.memoryMiB;
      const recommended = recommendedDom0MiB(h);
      if (memory === undefined || memory < DOM0_MIN_MIB || memory >= recommended) return [];
      return [{
        target: `${hostTarget(h.name)}.dom0`,
        message: `Dom0 of ${h.name} has ${formatMiB(memory)}, below the recommended ${formatMiB(recommended)} for a ${formatMiB(h.memoryMiB)} host; raise dom0.memory to at least ${formatMiB(Math.ceil(recommended))}`,
      }];
    }),
};
