import type { Rule, RuleResult } from '../../rule';
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
  check: (ctx) => {
    const results: RuleResult[] = [];
    // Host by host: a host's CPUs for guests are worked out once, not again for each of its VMs.
    for (const [name, placed] of ctx.placedOn) {
      const host = ctx.hosts.get(name)!;
      const cpus = guestPhysicalCpus(host);
      for (let i = 0; i < placed.length; i += 1) {
        const j = placed[i]!;
        if (j.vm.vcpus <= cpus) continue;
        results.push({
          target: j.target,
          message:
            `${j.vm.name} has ${j.vm.vcpus} vCPUs but host ${host.name} has ${cpus} physical CPUs for guests ` +
            `(${host.cpus} less ${host.cpus - cpus} for ${host.hypervisor === 'xen' ? 'Dom0' : 'the host OS'}); give it at most ${cpus} vCPUs or a wider host`,
        });
      }
    }
    return results;
  },
};
