import type { Rule } from '../../rule';
import { DOM0_MIN_MIB, formatMiB, hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenDom0MemMin: Rule = {
  id: 'XEN-DOM0-MEM-MIN',
  pack: 'xen',
  severity: 'error',
  summary: `Dom0 has at least ${DOM0_MIN_MIB} MiB of memory`,
  rationale:
    'Dom0 runs the toolstack, the PV backends and one QEMU device model per HVM guest. XenServer 8 and XCP-ng start it at 1 GiB ' +
    `plus 5% of host memory and the Xen wiki calls 1024 MB a starting point; below ${DOM0_MIN_MIB} MiB Dom0 cannot serve guest I/O ` +
    'and the host becomes unmanageable under load.',
  sources: [SRC.xenServerMemory, SRC.xenBestPractices],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      const memory = h.dom0?.memoryMiB;
      if (memory === undefined || memory >= DOM0_MIN_MIB) return [];
      return [{
        target: `${hostTarget(h.name)}.dom0`,
        message: `Dom0 of ${h.name} has ${formatMiB(memory)}, below the ${DOM0_MIN_MIB} MiB minimum; raise dom0.memory (1 GiB + 5% of host memory is the usual starting point)`,
      }];
    }),
};
