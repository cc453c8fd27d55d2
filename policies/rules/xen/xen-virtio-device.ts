import type { Rule, RuleResult } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

export const xenVirtioDevice: Rule = {
  id: 'XEN-VIRTIO-DEVICE',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen guests have no virtio disks or NICs',
  rationale:
    'virtio is KVM/QEMU\'s paravirtual device family; libvirt\'s libxl driver maps disks to blkfront (bus xen) and NICs to netfront ' +
    'or emulated models, so a virtio device on a Xen guest is not what the guest gets. Often a KVM setting left on a VM the planner moved to Xen.',
  sources: [SRC.libvirtLibxlConf, SRC.libvirtLibxlPvh],
  check: (ctx) => {
    // One list for every guest rather than one per guest for `flatMap` to join: most have no finding.
    const results: RuleResult[] = [];
    const judged = judgedOn(ctx, 'xen');
    for (let k = 0; k < judged.length; k += 1) {
      const j = judged[k]!;
      const { disks, nics } = j.effective;
      // Indexed loops: `for…of` makes an iterator object per list wherever the loop is not optimized away.
      for (let i = 0; i < disks.length; i += 1) {
        const d = disks[i]!;
        if (d.bus === 'virtio') {
          results.push({
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} uses bus virtio on a Xen host; set bus: xen (or pin the VM to KVM with hypervisor: kvm)`,
          });
        }
      }
      for (let i = 0; i < nics.length; i += 1) {
        const n = nics[i]!;
        if (n.model === 'virtio') {
          results.push({
            target: `${j.target}.networks[${n.index}]`,
            message: `NIC ${n.index} of ${j.vm.name} uses model virtio on a Xen host; set model: netfront (or pin the VM to KVM with hypervisor: kvm)`,
          });
        }
      }
    }
    return results;
  },
};
