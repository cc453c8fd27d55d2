import type { Rule } from '../../rule';
import { dom0Sizing, QEMU_FIXED_OVERHEAD_MIB } from '../../../planner/capacity';
import { DOM0_MIN_MIB, formatMiB, hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenDom0MemHvm: Rule = {
  id: 'XEN-DOM0-MEM-HVM',
  pack: 'xen',
  severity: 'warning',
  summary: `Dom0 memory covers ${DOM0_MIN_MIB} MiB plus ${QEMU_FIXED_OVERHEAD_MIB} MiB per HVM guest's device model`,
  rationale:
    'Every HVM guest (not PV, not PVH) has a QEMU device model running in Dom0 unless it uses a stub domain; the Xen Project Best ' +
    'Practices page says to plan for "a QEMU device model per HVM guest" on top of 1024 MB, and XenServer advises more Dom0 memory ' +
    `for many VMs. We count ${QEMU_FIXED_OVERHEAD_MIB} MiB per device model, oVirt's estimate of a QEMU process's own memory. ` +
    'Dom0 is sized before placement, so this is checked against the VMs the plan puts on the host.',
  sources: [SRC.xenBestPractices, SRC.xenServerMemory, SRC.ovirtOverhead],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      const hvm = (ctx.placedOn.get(h.name) ?? []).filter((j) => j.effective.guestType === 'hvm').length;
      const memory = dom0Sizing(h).memoryMiB;
      const needed = DOM0_MIN_MIB + hvm * QEMU_FIXED_OVERHEAD_MIB;
      if (hvm === 0 || memory >= needed) return [];
      const declared = h.dom0?.memoryMiB !== undefined;
      return [{
        target: declared ? `${hostTarget(h.name)}.dom0` : hostTarget(h.name),
        message:
          `Dom0 of ${h.name} has ${formatMiB(memory)}${declared ? '' : ' (derived)'} for ${hvm} HVM guests, each with a device model in Dom0; ` +
          `give it at least ${formatMiB(needed)} (dom0.memory) or run those guests as PVH`,
      }];
    }),
};
