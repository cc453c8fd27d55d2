import type { Rule } from '../../rule';
import { judgedOn, findingsPer, isPvOrPvh, NO_PARTS } from '../helpers';
import { SRC } from '../sources';

export const xenPvNicModel: Rule = {
  id: 'XEN-PV-NIC-MODEL',
  pack: 'xen',
  severity: 'error',
  summary: 'PV and PVH guest NICs use model netfront',
  rationale:
    'libvirt\'s libxl driver rejects any NIC model other than netfront on a PV guest, and a PVH guest has no device model to emulate ' +
    'one. virtio models are reported by XEN-VIRTIO-DEVICE.',
  sources: [SRC.libvirtLibxlConf],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'xen'), (j) => (isPvOrPvh(j) ? j.effective.nics : NO_PARTS), (j, n) =>
      n.model !== 'netfront' && n.model !== 'virtio'
        ? {
            target: `${j.target}.networks[${n.index}]`,
            message: `NIC ${n.index} of ${j.vm.name} uses model ${n.model} on a Xen ${String(j.effective.guestType).toUpperCase()} guest; set model: netfront or remove the model to use the default`,
          }
        : undefined),
};
