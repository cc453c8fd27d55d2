import type { Rule } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

export const hybNetXenEmulated: Rule = {
  id: 'HYB-NET-XEN-EMULATED',
  pack: 'hybrid',
  severity: 'info',
  summary: 'Network-heavy Xen HVM guests use PV networking (netfront)',
  rationale:
    'An HVM guest with an emulated NIC sends every packet through the QEMU device model in Dom0. Performance only, so info; ' +
    'XEN-HVM-EMULATED-DEVICE already warns about emulated devices in general.',
  sources: [SRC.libvirtLibxlConf, SRC.perfMixed],
  check: (ctx) =>
    judgedOn(ctx, 'xen').flatMap((j) => {
      if (j.vm.workload !== 'network-heavy' || j.effective.guestType !== 'hvm') return [];
      if (j.effective.nics.every((n) => n.model === 'netfront')) return [];
      return [{
        target: j.target,
        message: `${j.vm.name} is network-heavy on Xen HVM without PV networking on every NIC; set model: netfront on its networks`,
      }];
    }),
};
