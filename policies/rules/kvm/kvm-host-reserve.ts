import type { Rule } from '../../rule';
import { formatMiB, hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const kvmHostReserve: Rule = {
  id: 'KVM-HOST-RESERVE',
  pack: 'kvm',
  severity: 'warning',
  summary: 'KVM hosts reserve memory for the host: at least 4 GiB + 0.5 GiB per placed VM',
  rationale:
    'KVM guests are ordinary QEMU processes that use memory beyond their size; Nova reserves only 512 MB by default and Red Hat\'s ' +
    'example reserves 4 GB plus 0.5 GB per VM. Without it the host OOM-kills guests under pressure. Bounds: thresholds.hostReserveBaseMiB / hostReservePerVmMiB.',
  sources: [SRC.rhospNfvReserve, SRC.novaCompute, SRC.rhelOvercommit],
  check: (ctx) =>
    hostsOf(ctx, 'kvm').flatMap((h) => {
      const vms = ctx.placedOn.get(h.name)?.length ?? 0;
      const needed = ctx.thresholds.hostReserveBaseMiB + ctx.thresholds.hostReservePerVmMiB * vms;
      if (h.reserved === undefined) {
        return [{
          target: hostTarget(h.name),
          message: `KVM host ${h.name} reserves no memory for the host OS; set reserved: { memory: ${Math.ceil(needed / 1024)}GiB } (4 GiB + 0.5 GiB × ${vms} VMs), or defaults.kvm.reserved`,
        }];
      }
      if (h.reserved.memoryMiB >= needed) return [];
      return [{
        target: hostTarget(h.name),
        message: `KVM host ${h.name} reserves ${formatMiB(h.reserved.memoryMiB)} for ${vms} VMs; expected at least ${formatMiB(needed)} (4 GiB + 0.5 GiB per VM) — raise reserved.memory`,
      }];
    }),
};
