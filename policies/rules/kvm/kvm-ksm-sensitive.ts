import type { Rule } from '../../rule';
import { hostsOf, hostTarget, isSensitive, listNames } from '../helpers';
import { SRC } from '../sources';

export const kvmKsmSensitive: Rule = {
  id: 'KVM-KSM-SENSITIVE',
  pack: 'kvm',
  severity: 'error',
  summary: 'KSM is off on hosts running sensitive or isolated VMs',
  rationale:
    'Kernel same-page merging lets a VM learn about co-located VMs (timing side channels, ASLR bypass, Rowhammer through ' +
    'deduplication — VUSion); Proxmox advises hosting providers to disable it. Sensitive workloads must not share pages.',
  sources: [SRC.proxmoxKsm, SRC.vusion],
  check: (ctx) =>
    hostsOf(ctx, 'kvm').flatMap((h) => {
      if (h.ksm !== true) return [];
      const sensitive = (ctx.placedOn.get(h.name) ?? []).filter((j) => isSensitive(j.vm)).map((j) => j.vm.name);
      if (sensitive.length === 0) return [];
      return [{
        target: hostTarget(h.name),
        message: `KVM host ${h.name} runs KSM (ksm: true) and hosts sensitive/isolated VMs (${listNames(sensitive)}); set ksm: false or keep those VMs off this host`,
      }];
    }),
};
