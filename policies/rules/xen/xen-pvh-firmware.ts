import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
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
    findingsEach(judgedOn(ctx, 'xen'), (j) => {
      const type = j.effective.guestType;
      if (type !== 'pv' && type !== 'pvh') return undefined;
      const declared = j.vm.firmware ?? ctx.fleet.defaults.xen.vm.firmware;
      // Most guests ask for neither: no lists made for them.
      if (declared !== 'uefi' && !j.vm.secureBoot) return undefined;
      const asked = [...(declared === 'uefi' ? ['firmware: uefi'] : []), ...(j.vm.secureBoot ? ['secureBoot: true'] : [])];
      return {
        target: j.target,
        message:
          `${j.vm.name} is a Xen ${type.toUpperCase()} guest with ${asked.join(' and ')}, but ${type.toUpperCase()} has no firmware; ` +
          `set guestType: hvm for UEFI${j.vm.secureBoot ? ' and Secure Boot' : ''}, or remove ${asked.map((a) => a.split(':')[0]).join(' and ')}`,
      };
    }),
};
