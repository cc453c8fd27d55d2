import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const xenPvhBoot: Rule = {
  id: 'XEN-PVH-BOOT',
  pack: 'xen',
  severity: 'error',
  summary: 'PVH guests boot a kernel or a bootloader',
  rationale:
    'PVH has no firmware: it must boot a kernel directly or through a bootloader (xl.cfg). hyperplan defaults to a PVH GRUB ' +
    'image, so this fires only when the fleet removes that default (e.g. an empty kernel) without giving a bootloader.',
  sources: [SRC.xlCfg, SRC.libvirtLibxlPvh],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.effective.guestType === 'pvh' && !j.effective.kernel && !j.effective.bootloader
        ? {
            target: j.target,
            message: `${j.vm.name} is a Xen PVH guest with neither kernel nor bootloader, so it cannot boot; set kernel (and initrd), or bootloader, or remove kernel to use the PVH GRUB default`,
          }
        : undefined),
};
