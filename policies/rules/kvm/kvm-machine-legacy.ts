import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const kvmMachineLegacy: Rule = {
  id: 'KVM-MACHINE-LEGACY',
  pack: 'kvm',
  severity: 'warning',
  summary: 'New KVM guests use the q35 machine type, not pc (i440fx)',
  rationale:
    'libvirt keeps x86 guests on "pc" (i440fx) only so existing users are not changed; q35 gives PCIe, native hotplug into root ' +
    'ports and modern firmware support. Keep pc only for imported guests that need it.',
  sources: [SRC.libvirtQ35Default],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'kvm'), (j) =>
      j.effective.machine === 'pc' || j.effective.machine.startsWith('pc-i440fx')
        ? {
            target: j.target,
            message: `${j.vm.name} uses legacy machine type ${j.effective.machine}; set machine: q35 (or remove machine for the q35 default)`,
          }
        : undefined),
};
