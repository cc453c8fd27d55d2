import type { Rule } from '../../rule';
import { isSensitive } from '../helpers';
import { SRC } from '../sources';

export const secSecureBoot: Rule = {
  id: 'SEC-SECURE-BOOT',
  pack: 'security',
  severity: 'warning',
  summary: 'Sensitive and isolated VMs boot with UEFI Secure Boot',
  rationale:
    'Secure Boot refuses unsigned bootloaders and kernels, closing a persistence path for boot-level malware. Xen PV and PVH guests ' +
    'have no firmware at all (they boot a kernel directly), so the rule does not apply to them; their boot chain is the kernel ' +
    'or bootloader the fleet names.',
  sources: [SRC.libvirtSecureBoot, SRC.xlCfg],
  check: (ctx) =>
    ctx.judged
      .filter((j) => isSensitive(j.vm) && !j.effective.secureBoot && (j.effective.guestType ?? 'hvm') === 'hvm')
      .map((j) => ({
        target: j.target,
        message: `${j.vm.name} is securityClass ${j.vm.securityClass} but boots ${j.effective.firmware} without Secure Boot; set firmware: uefi and secureBoot: true${j.effective.hypervisor === 'xen' ? ' (or guestType: pvh, which has no firmware)' : ''}`,
      })),
};
