import { KVM_WINDOWS_HYPERV, KVM_WINDOWS_HYPERV_UNEXPRESSED } from '../../../fleet/effective-vm';
import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const kvmWindowsHypervPartial: Rule = {
  id: 'KVM-WINDOWS-HYPERV-PARTIAL',
  pack: 'kvm',
  severity: 'info',
  summary: 'KVM Windows guests lack the Hyper-V enlightenments the provider cannot express',
  rationale:
    'hyperplan gives Windows guests on KVM the Hyper-V enlightenments libvirt documents and a localtime clock with the hypervclock ' +
    'timer. dmacvicar/libvirt 0.9.7 has no state attribute for spinlocks, stimer and tlbflush (its schema drops the state libvirtxml ' +
    'embeds in them), and libvirt rejects those elements without one ("Missing required attribute \'state\'"), so they cannot be ' +
    'rendered. Without them Windows spins on contended locks and uses more host CPU while idle. Performance only, so info; add ' +
    'them outside Terraform (virsh edit) or suppress with a reason.',
  sources: [SRC.libvirtHypervFeatures, SRC.providerDomain],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'kvm'), (j) =>
      j.vm.os === 'windows'
        ? {
            target: j.target,
            message:
              `${j.vm.name} is a Windows guest on KVM: it gets ${KVM_WINDOWS_HYPERV.join(', ')} and hypervclock, but not ` +
              `${KVM_WINDOWS_HYPERV_UNEXPRESSED.join(', ')}, which the provider cannot express`,
          }
        : undefined),
};
