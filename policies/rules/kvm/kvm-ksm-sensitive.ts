import type { Rule } from '../../rule';
import { hostsOf, hostTarget, isSensitive, listNames } from '../helpers';
import { SRC } from '../sources';

export const kvmKsmSensitive: Rule = {
  id: 'KVM-KSM-SENSITIVE',
  pack: 'kvm',
  severity: 'error',
  summary: 'KSM is declared off (ksm: false) on hosts running sensitive or isolated VMs',
  rationale:
    'Kernel same-page merging lets a VM learn about co-located VMs (timing side channels, ASLR bypass, Rowhammer through ' +
    'deduplication — VUSion); Proxmox advises hosting providers to disable it. Sensitive workloads must not share pages. ' +
    'A host that does not declare ksm is not known to be safe: distributions such as Proxmox turn KSM on by default.',
  sources: [SRC.proxmoxKsm, SRC.vusion],
  check: (ctx) =>
    hostsOf(ctx, 'kvm').flatMap((h) => {
      if (h.ksm === false) return [];
      const sensitive = (ctx.placedOn.get(h.name) ?? []).filter((j) => isSensitive(j.vm)).map((j) => j.vm.name);
      if (sensitive.length === 0) return [];
      return [{
        target: hostTarget(h.name),
        message:
          `KVM host ${h.name} ${h.ksm === true ? 'runs KSM (ksm: true)' : 'does not declare KSM off (no ksm key; some distributions enable it by default)'} ` +
          `and hosts sensitive/isolated VMs (${listNames(sensitive)}); turn KSM off on the host and set ksm: false, or keep those VMs off this host`,
      }];
    }),
};
