import type { Rule } from '../../rule';
import { findingsPer, judgedOn, nicsOf } from '../helpers';
import { SRC } from '../sources';

/**
 * The NIC types libxl attaches: bridge, ethernet (a vif with its script) and libvirt networks, and hostdev,
 * which libxlMakeNicList skips and libxl passes through as a PCI device (libxl_conf.c).
 */
const XEN_NIC_TYPES: ReadonlySet<string> = new Set(['network', 'ethernet', 'hostdev']);

export const xenNicType: Rule = {
  id: 'XEN-NIC-TYPE',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen NICs are on a network, of type ethernet or a passed-through hostdev (no user-mode networking, macvtap, vDPA or sockets)',
  rationale:
    "libvirt's libxl driver builds a vif for bridge, network and ethernet interfaces only and refuses the others with " +
    '"unsupported interface type" (libxl_conf.c, libxlMakeNic): user-mode networking, vDPA and sockets are QEMU features and macvtap (direct) is not a Xen backend. ' +
    'A hostdev NIC is passed through as a PCI device instead (libxlMakeNicList skips it).',
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
