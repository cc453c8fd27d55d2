import type { Rule, RuleResult } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

/** Buses served by blkfront (xen) or judged by XEN-VIRTIO-DEVICE (virtio); everything else is QEMU-emulated. */
const NOT_EMULATED_BUS: ReadonlySet<string> = new Set(['xen', 'virtio']);
const NOT_EMULATED_NIC: ReadonlySet<string> = new Set(['netfront', 'virtio']);

export const xenHvmEmulatedDevice: Rule = {
  id: 'XEN-HVM-EMULATED-DEVICE',
  pack: 'xen',
  severity: 'warning',
  summary: 'Xen HVM guests use PV disks (bus xen) and PV NICs (netfront)',
  rationale:
    'On an HVM guest libxl turns any NIC model other than netfront into an emulated VIF_IOEMU, and ide/sata/scsi disks are emulated by ' +
    'the QEMU device model in Dom0: slower, and more device-model attack surface. PV drivers (blkfront/netfront) avoid both.',
  sources: [SRC.libvirtLibxlConf, SRC.xenStubdom],
  check: (ctx) =>
    judgedOn(ctx, 'xen').flatMap((j) => {
      if (j.effective.guestType !== 'hvm') return [];
      const results: RuleResult[] = [];
      for (const disk of j.effective.disks) {
        if (NOT_EMULATED_BUS.has(disk.bus)) continue;
        results.push({
          target: `${j.target}.disks[${disk.index}]`,
          message: `disk ${disk.index} of ${j.vm.name} uses emulated bus ${disk.bus} on a Xen HVM guest; set bus: xen (PV block driver)`,
        });
      }
      for (const nic of j.effective.nics) {
        if (NOT_EMULATED_NIC.has(nic.model)) continue;
        results.push({
          target: `${j.target}.networks[${nic.index}]`,
          message: `NIC ${nic.index} of ${j.vm.name} uses emulated model ${nic.model} on a Xen HVM guest; set model: netfront (PV network driver)`,
        });
      }
      return results;
    }),
};
