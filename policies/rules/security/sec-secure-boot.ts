import type { Rule } from '../../rule';
import { isSensitive, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const secSecureBoot: Rule = {
  id: 'SEC-SECURE-BOOT',
  pack: 'security',
  severity: 'warning',
  summary: 'Sensitive and isolated VMs boot a verified chain: UEFI Secure Boot, or a kernel held by Dom0',
  rationale:
    'Secure Boot refuses unsigned bootloaders and kernels, closing a persistence path for boot-level malware. Xen PV and PVH guests ' +
    'have no firmware (xl.cfg(5)), so no Secure Boot: they are not exempt, because by default they boot through GRUB the kernel on ' +
    'their own disk, which the guest can replace unchecked. A PV/PVH guest complies when it boots a kernel the fleet names from Dom0 ' +
    '(direct kernel boot), which the guest cannot change; otherwise run it as HVM with UEFI Secure Boot. A VM that asks for Secure ' +
    'Boot where there is none is XEN-PVH-FIRMWARE\'s error instead.',
  sources: [SRC.libvirtSecureBoot, SRC.xlCfg],
  check: (ctx) =>
    findingsEach(ctx.judged, (j) => {
      if (!isSensitive(j.vm) || j.effective.secureBoot || j.vm.secureBoot) return undefined;
      if ((j.effective.guestType ?? 'hvm') !== 'hvm' && j.vm.kernel) return undefined;
      const type = j.effective.guestType ?? 'hvm';
      const fix =
        type === 'hvm'
          ? `set firmware: uefi and secureBoot: true${j.effective.hypervisor === 'xen' ? ' (or guestType: pvh with a kernel from Dom0)' : ''}`
          : `${type.toUpperCase()} has no firmware for Secure Boot: set kernel (and initrd) to a kernel held by Dom0, or guestType: hvm with firmware: uefi and secureBoot: true`;
      const boots = type === 'hvm' ? `boots ${j.effective.firmware} without Secure Boot` : `boots the kernel on its own disk through ${j.effective.bootloader ?? 'GRUB'}, unverified`;
      return { target: j.target, message: `${j.vm.name} is securityClass ${j.vm.securityClass} but ${boots}; ${fix}` };
    }),
};
