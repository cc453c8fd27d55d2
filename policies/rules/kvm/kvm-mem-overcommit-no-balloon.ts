import type { Rule } from '../../rule';
import { hostsOf, hostTarget, listNames } from '../helpers';
import { SRC } from '../sources';

export const kvmMemOvercommitNoBalloon: Rule = {
  id: 'KVM-MEM-OVERCOMMIT-NO-BALLOON',
  pack: 'kvm',
  severity: 'warning',
  summary: 'KVM hosts that overcommit memory run only VMs with a balloon device',
  rationale:
    'With memory overcommitted the host can only reclaim guest memory through the virtio balloon (autodeflate returns it before an ' +
    'OOM); a VM without one can only be swapped or killed.',
  sources: [SRC.libvirtMemballoon, SRC.novaCompute],
  check: (ctx) =>
    hostsOf(ctx, 'kvm').flatMap((h) => {
      if (h.overcommit.memory <= 1) return [];
      const without = (ctx.placedOn.get(h.name) ?? []).filter((j) => !j.effective.balloon).map((j) => j.vm.name);
      if (without.length === 0) return [];
      return [{
        target: hostTarget(h.name),
        message: `KVM host ${h.name} overcommits memory ${h.overcommit.memory}x but ${without.length} VM(s) have no balloon (${listNames(without)}); enable balloon on them or set overcommit.memory: 1`,
      }];
    }),
};
