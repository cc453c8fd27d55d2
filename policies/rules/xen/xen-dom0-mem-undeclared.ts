import type { Rule } from '../../rule';
import { hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenDom0MemUndeclared: Rule = {
  id: 'XEN-DOM0-MEM-UNDECLARED',
  pack: 'xen',
  severity: 'warning',
  summary: 'Xen hosts declare a fixed Dom0 memory size',
  rationale:
    'Without dom0_mem Xen gives Dom0 all memory minus a small reserve and the toolstack balloons it down as guests start; ' +
    'Dom0 then sizes its kernel tables for memory it later loses. The Xen best-practices page says to always fix Dom0 memory ' +
    '(dom0_mem=X,max:X). hyperplan derives a size when none is declared, but the host is only as predictable as its declaration.',
  sources: [SRC.xenBestPractices, SRC.xenCommandLine],
  check: (ctx) =>
    hostsOf(ctx, 'xen')
      .filter((h) => h.dom0?.memoryMiB === undefined)
      .map((h) => ({
        target: hostTarget(h.name),
        message: `Xen host ${h.name} declares no dom0.memory, so Dom0's size is derived rather than fixed; set dom0: { memory: <size> } (1 GiB + 5% of host memory, at most 8 GiB, is the XenServer default)`,
      })),
};
