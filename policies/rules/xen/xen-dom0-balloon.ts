import type { Rule } from '../../rule';
import { hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenDom0Balloon: Rule = {
  id: 'XEN-DOM0-BALLOON',
  pack: 'xen',
  severity: 'error',
  summary: 'Dom0 does not balloon (xl.conf autoballoon off)',
  rationale:
    'Dom0\'s Linux kernel sizes network buffers and page metadata from its boot memory; ballooning it down leaves those wrong, ' +
    'wastes memory and under load can kill SSH. The xl.conf man page strongly recommends autoballoon off (or auto) when dom0_mem is set.',
  sources: [SRC.xlConf, SRC.xenBestPractices, SRC.dom0CpuMemory],
  check: (ctx) =>
    hostsOf(ctx, 'xen')
      .filter((h) => h.dom0?.balloon === true)
      .map((h) => ({
        target: `${hostTarget(h.name)}.dom0`,
        message: `Dom0 of ${h.name} has balloon: true (xl.conf autoballoon=on); set dom0: { balloon: false } and fix dom0.memory instead`,
      })),
};
