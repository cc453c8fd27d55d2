import type { Rule } from '../../rule';
import { isSensitive, judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const hybSensitiveOnKvm: Rule = {
  id: 'HYB-SENSITIVE-ON-KVM',
  pack: 'hybrid',
  severity: 'warning',
  summary: 'In a hybrid fleet, sensitive and isolated VMs run on Xen',
  rationale:
    'The fleet\'s guidance puts isolation-first workloads on Xen: a small hypervisor with Dom0 outside the guest\'s path, PVH guests ' +
    'without a device model. KVM can be hardened too (sVirt, seccomp, KSM off, dedicated hosts), so this is a warning, and only when Xen hosts exist.',
  sources: [SRC.xenDisaggregation, SRC.xenStubdom, SRC.proxmoxKsm],
  check: (ctx) => {
    if (!ctx.hypervisors.has('xen')) return [];
    return findingsEach(judgedOn(ctx, 'kvm'), (j) =>
      isSensitive(j.vm)
        ? {
            target: j.target,
            message: `${j.vm.name} is securityClass ${j.vm.securityClass} but runs on KVM${j.host ? ` (${j.host.name})` : ''} while the fleet has Xen hosts; set hypervisor: xen (guestType: pvh) or suppress with the KVM hardening you rely on`,
          }
        : undefined);
  },
};
