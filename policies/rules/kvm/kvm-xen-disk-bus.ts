import type { Rule } from '../../rule';
import { judgedOn, findingsPer, disksOf } from '../helpers';
import { SRC } from '../sources';

export const kvmXenDiskBus: Rule = {
  id: 'KVM-XEN-DISK-BUS',
  pack: 'kvm',
  severity: 'error',
  summary: 'KVM disks are never on bus xen',
  rationale:
    "Bus xen is Xen's PV block frontend (blkfront), which only a Xen guest has. libvirt's QEMU driver accepts the domain " +
    "definition but cannot build the disk's device when the guest starts (qemuBuildDiskDeviceProps: \"unsupported disk bus 'xen' " +
    'with device setup"), so the domain never runs. Use bus virtio (or scsi) on KVM.',
  sources: [SRC.libvirtQemuCommand, SRC.libvirtDisks],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'kvm'), disksOf, (j, d) =>
      d.bus === 'xen'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `${d.device} ${d.index} of ${j.vm.name} is on bus xen, which QEMU has no device for, so the guest cannot start on KVM; set bus: virtio (or pin the VM to Xen with hypervisor: xen)`,
          }
        : undefined),
};
