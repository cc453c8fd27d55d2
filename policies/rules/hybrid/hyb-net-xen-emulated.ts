import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const hybNetXenEmulated: Rule = {
  id: 'HYB-NET-XEN-EMULATED',
  pack: 'hybrid',
  severity: 'info',
  summary: 'Network-heavy Xen HVM guests rely on PV network drivers',
  rationale:
    'On HVM every NIC but netfront is an emulated NIC plus the PV path (libxl VIF_IOEMU): with Xen PV drivers in the guest, netfront ' +
    'takes over and the emulated NIC is unplugged; without them every packet goes through the QEMU device model in Dom0. hyperplan ' +
    'keeps that default so guests without PV drivers still have a network. Performance only, so info: for network-heavy guests make ' +
    'sure the image has PV drivers (Linux has them; Windows needs the Xen PV drivers), then set model: netfront, or run the guest as PVH.',
  sources: [SRC.libvirtLibxlConf, SRC.perfMixed],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) => {
      if (j.vm.workload !== 'network-heavy' || j.effective.guestType !== 'hvm') return undefined;
      if (j.effective.nics.every((n) => n.model === 'netfront')) return undefined;
      return {
        target: j.target,
        message:
          `${j.vm.name} is network-heavy on Xen HVM with an emulated NIC that only the guest's PV drivers take off the device model; ` +
          'with PV drivers in the image set model: netfront, or run it as guestType: pvh',
      };
    }),
};
