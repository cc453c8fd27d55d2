import type { Rule } from '../../rule';
import { findingsEach } from '../helpers';
import { guestPhysicalCpus } from '../../../planner/capacity';
import { SRC } from '../sources';

export const plcVmWiderThanHost: Rule = {
  id: 'PLC-VM-WIDER-THAN-HOST',
  pack: 'placement',
  severity: 'warning',
  summary: 'A VM has no more vCPUs than its host has physical CPUs for guests (after Dom0 or the host reservation)',
  rationale:
    'CPU overcommit shares cores between guests; a single guest wider than the cores left for guests overcommits against itself: ' +
    'its own vCPUs wait for each other, and a vCPU spinning on a lock whose holder is descheduled wastes its slice ' +
    '(lock-holder preemption). Nova refuses such instances on NUMA hosts ("an instance may not overcommit against itself").',
  sources: [SRC.novaHardware, SRC.xlCfg],
  check: (ctx) =>
    findingsEach(ctx.judged, (j) => {
      if (j.host === undefined) return undefined;
      const cpus = guestPhysicalCpus(j.host);
      if (j.vm.vcpus <= cpus) return undefined;
      return {
        target: j.target,
        message:
          `${j.vm.name} has ${j.vm.vcpus} vCPUs but host ${j.host.name} has ${cpus} physical CPUs for guests ` +
          `(${j.host.cpus} less ${j.host.cpus - cpus} for ${j.host.hypervisor === 'xen' ? 'Dom0' : 'the host OS'}); give it at most ${cpus} vCPUs or a wider host`,
      };
    }),
};
