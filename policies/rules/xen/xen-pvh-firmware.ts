import type { Rule } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

export const xenPvhFirmware: Rule = {
  id: 'XEN-PVH-FIRMWARE',
  pack: 'xen',
  severity: 'error',
  summary: 'PV and PVH guests declare no UEFI firmware and no Secure Boot',
  rationale:
    'xl.cfg(5): "there is no firmware available for PVH guests, they should be booted using the Direct Kernel Boot method or the ' +
    'bootloader option"; PV guests boot a kernel or a PV bootloader too. libvirt\'s libxl driver loads OVMF only for HVM ' +
    '(libxl_conf.c, libxlMakeDomBuildInfo), so firmware: uefi or secureBoot: true on such a guest would silently boot without ' +
    'either. Run the guest as HVM, or drop the firmware settings.',
  sources: [SRC.xlCfg, SRC.libvirtLibxlConf],
  check: (ctx) =>
    judgedOn(ctx, 'xen').flatMap((j) => {
      const type = j.effective.guestType;
      if (type !== 'pv' && type !== 'pvh') return [];
      const declared = j.vm.firmware ?? ctx.fleet.defaults.xen.vm.firmware;
      const asked = [...(declared === 'uefi' ? ['firmware: uefi'] : []), ...(j.vm.secureBoot ? ['secureBoot: true'] : [])];
      if (asked.length === 0) return [];
      return [{
        target: j.target,
        message:
          `${j.vm.name} is a Xen ${type.toUpperCase()} guest with ${asked.join(' and ')}, but ${type.toUpperCase()} has no firmware; ` +
          `set guestType: hvm for UEFI${j.vm.secureBoot ? ' and Secure Boot' : ''}, or remove ${asked.map((a) => a.split(':')[0]).join(' and ')}`,
      }];
    }),
};
