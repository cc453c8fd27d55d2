import { XEN_GUEST_ARCHES } from '../../../fleet/guest-devices';
import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const xenGuestArch: Rule = {
  id: 'XEN-GUEST-ARCH',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen guests are x86 (x86_64 or i686)',
  rationale:
    "Xen runs guests of the host's architecture without emulating a CPU; libvirt's libxl driver offers x86_64 and i686 guests on x86 hosts " +
    '(and Arm guests of their own kind on Arm hosts, which hyperplan does not deploy). A ppc64, s390x or riscv64 guest cannot run on Xen; an aarch64 one not as PV, PVH or HVM.',
  sources: [SRC.libvirtLibxlCapabilities],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) =>
      XEN_GUEST_ARCHES.has(j.effective.arch)
        ? undefined
        : { target: j.target, message: `${j.vm.name} is an ${j.effective.arch} guest, which Xen cannot run; run it on KVM (hypervisor: kvm) on a host of its architecture` }),
};
