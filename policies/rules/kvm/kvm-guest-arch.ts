import { DEFAULT_ARCH, nativeGuestArches } from '../../../fleet/guest-devices';
import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const kvmGuestArch: Rule = {
  id: 'KVM-GUEST-ARCH',
  pack: 'kvm',
  severity: 'error',
  summary: "A KVM guest has the host's CPU architecture (32-bit x86 on x86_64, either endianness on POWER)",
  rationale:
    "KVM runs guest code on the host CPU, so a domain of type kvm must be of an architecture the host executes: libvirt's QEMU driver " +
    'offers domain type kvm only for the host architecture and its 32-bit or other-endian variant. Another architecture would need ' +
    'TCG emulation (domain type qemu), far slower and not what hyperplan synthesizes; place the VM on a host of its architecture.',
  sources: [SRC.libvirtQemuDomain],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'kvm'), (j) => {
      if (!j.host) return undefined;
      const hostArch = j.host.arch ?? DEFAULT_ARCH;
      if (nativeGuestArches(hostArch).includes(j.effective.arch)) return undefined;
      return {
        target: j.target,
        message: `${j.vm.name} is an ${j.effective.arch} guest on ${hostArch} host ${j.host.name}, where KVM cannot run it; pin it to a host with arch: ${j.effective.arch}`,
      };
    }),
};
