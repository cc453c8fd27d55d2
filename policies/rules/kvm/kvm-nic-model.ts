import type { Rule } from '../../rule';
import { findingsPer, judgedOn, nicsOf } from '../helpers';
import { SRC } from '../sources';

export const kvmNicModel: Rule = {
  id: 'KVM-NIC-MODEL',
  pack: 'kvm',
  severity: 'warning',
  summary: 'KVM NICs use model virtio',
  rationale:
    'Emulated NICs (e1000, rtl8139) cost a VM exit per register access and cannot use vhost-net or multiqueue; virtio-net is the ' +
    'paravirtual path the RHEL tuning guide builds on.',
  sources: [SRC.rhelTuning],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'kvm'), nicsOf, (j, n) =>
      n.model === 'virtio'
        ? undefined
        : {
            target: `${j.target}.networks[${n.index}]`,
            message: `NIC ${n.index} of ${j.vm.name} uses emulated model ${n.model}; set model: virtio (guests need virtio-net drivers)`,
          }),
};
