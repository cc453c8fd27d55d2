import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const xenConsolePv: Rule = {
  id: 'XEN-CONSOLE-PV',
  pack: 'xen',
  severity: 'error',
  summary: 'A Xen PV/PVH guest always has its PV console',
  rationale:
    "libvirt's libxl driver gives every PV and PVH guest a pty PV console when its XML names none (src/libxl/libxl_domain.c, " +
    'libxlDomainDefPostParse: "Xen PV domains always have a PV console"), so `console: false` cannot be honoured there; only an HVM guest can have no console.',
  sources: [SRC.libvirtLibxlDomain],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.vm.console === false && j.effective.guestType !== 'hvm'
        ? {
            target: j.target,
            message: `${j.vm.name} is a Xen ${String(j.effective.guestType).toUpperCase()} guest, which libvirt always gives a PV console; remove console: false, or set guestType: hvm`,
          }
        : undefined),
};
