import type { Rule, RuleResult } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

/**
 * Buses whose device names libxl hands to QEMU as another kind of emulated device: `sd*` names
 * (scsi, sata) are "passed through as is" as emulated SCSI disks, usb is emulated USB storage.
 * xen (`xvd*`) and ide (`hd*`) disks 0–3 are the same to libxl: an emulated IDE disk plus the PV path.
 */
const EMULATION_NAMED_BUS: ReadonlySet<string> = new Set(['scsi', 'sata', 'usb']);

export const xenHvmEmulatedDevice: Rule = {
  id: 'XEN-HVM-EMULATED-DEVICE',
  pack: 'xen',
  severity: 'warning',
  summary: 'Xen HVM disks use the xen bus, and Windows HVM NICs keep their emulated fallback',
  rationale:
    'On HVM libxl has the QEMU device model in Dom0 emulate disks 0–3 as IDE whatever their name (hd or xvd) and offers every disk ' +
    'through blkfront as well; the guest\'s PV drivers unplug the emulated copies (libxl_dm.c: "For other disks we translate devices ' +
    '0..3 into hd[a-d]"). An sd name (scsi, sata) instead asks QEMU for an emulated SCSI disk, and usb for emulated USB storage: more ' +
    'device-model attack surface and slower I/O, so name disks on the xen bus. NICs: without a model libxl gives an emulated NIC plus ' +
    'the PV path (VIF_IOEMU), any model but netfront too; netfront alone is PV-only (libxl_conf.c, libxlMakeNic), so a Windows guest, ' +
    'which has no Xen PV drivers until they are installed, has no network with it.',
  sources: [SRC.libxlDm, SRC.libvirtLibxlConf, SRC.xenStubdom],
  check: (ctx) => {
    // One list for every guest rather than one per guest for `flatMap` to join: most have no finding.
    const results: RuleResult[] = [];
    const judged = judgedOn(ctx, 'xen');
    for (let k = 0; k < judged.length; k += 1) {
      const j = judged[k]!;
      if (j.effective.guestType !== 'hvm') continue;
      const { disks, nics } = j.effective;
      // Indexed loops: `for…of` makes an iterator object per list wherever the loop is not optimized away.
      for (let i = 0; i < disks.length; i += 1) {
        const disk = disks[i]!;
        if (!EMULATION_NAMED_BUS.has(disk.bus)) continue;
        results.push({
          target: `${j.target}.disks[${disk.index}]`,
          message:
            `disk ${disk.index} of ${j.vm.name} uses bus ${disk.bus} on a Xen HVM guest, which QEMU in Dom0 emulates as such; set bus: xen ` +
            '(libxl emulates disks 0–3 as IDE until the PV drivers unplug them, and serves every disk through blkfront)',
        });
      }
      if (j.vm.os === 'windows') {
        for (const nic of nics) {
          if (nic.model !== 'netfront') continue;
          results.push({
            target: `${j.target}.networks[${nic.index}]`,
            message:
              `NIC ${nic.index} of ${j.vm.name} is netfront (PV only) on a Windows HVM guest, which has no network until Xen PV drivers ` +
              'are installed; remove the model to get the emulated NIC with the PV path',
          });
        }
      }
    }
    return results;
  },
};
