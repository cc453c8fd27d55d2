import type { Rule } from '../../rule';
import { judgedOn, findingsPer, disksOf } from '../helpers';
import { SRC } from '../sources';

export const xenNetworkDisk: Rule = {
  id: 'XEN-NETWORK-DISK',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen network disks are Ceph RBD',
  rationale:
    "libvirt's libxl driver turns a network disk into a QEMU (qdisk) target string for RBD only and refuses every other protocol with " +
    '"Unsupported network block protocol" (libxl_conf.c, libxlMakeNetworkDiskSrcStr). Attach iSCSI LUNs through an iscsi pool (volume:) or as a host block device (path:).',
  sources: [SRC.libvirtLibxlConf],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'xen'), disksOf, (j, d) =>
      d.network !== undefined && d.network.protocol !== 'rbd'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} is a ${d.network.protocol} network disk, which libxl cannot attach; use an iscsi pool with volume: or a host path:`,
          }
        : undefined),
};
