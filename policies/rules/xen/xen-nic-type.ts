import type { Rule } from '../../rule';
import { findingsPer, judgedOn, nicsOf } from '../helpers';
import { SRC } from '../sources';

/** The NIC types libxl attaches: bridge, ethernet (a vif with its script) and libvirt networks. */
const XEN_NIC_TYPES: ReadonlySet<string> = new Set(['network', 'ethernet']);

export const xenNicType: Rule = {
  id: 'XEN-NIC-TYPE',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen NICs are on a network or of type ethernet (no user-mode networking, no macvtap)',
  rationale:
    "libvirt's libxl driver builds a vif for bridge, network and ethernet interfaces only and refuses the others with " +
    '"unsupported interface type" (libxl_conf.c, libxlMakeNic): user-mode networking is a QEMU feature and macvtap (direct) is not a Xen backend.',
  sources: [SRC.libvirtLibxlConf],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'xen'), nicsOf, (j, n) =>
      XEN_NIC_TYPES.has(n.type)
        ? undefined
        : {
            target: `${j.target}.networks[${n.index}]`,
            message: `NIC ${n.index} of ${j.vm.name} is of type ${n.type}, which libxl cannot attach; put it on a fleet network (bridge) or use type: ethernet`,
          }),
};
