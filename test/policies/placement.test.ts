import type { Fleet } from '../../fleet/model';
import type { Placement } from '../../planner/types';
import { disk, fleet, kvmHost, pinned, vm } from './fixtures';
import { ruleTable } from './rule-table';

const TWO_ZONES = [kvmHost('k1', { zone: 'a' }), kvmHost('k2', { zone: 'a' }), kvmHost('k3', { zone: 'b' })];

function withUsage(f: Fleet, cpuUsed: number): { fleet: Fleet; placement: Placement } {
  const base = pinned(f);
  return { fleet: f, placement: { ...base, hosts: base.hosts.map((h) => ({ ...h, cpu: { ...h.cpu, used: cpuUsed } })) } };
}
const unplacedFleet = fleet({ hosts: [kvmHost('k1'), kvmHost('k2'), kvmHost('k3')], vms: [vm('big')] });

/** Disks on shared storage: a member with a host-local disk is lost with its host. */
const zoneGroup = (pin: boolean) => {
  const member = (name: string, host: string) => vm(name, { antiAffinity: 'web', disks: [disk({ pool: 'nfs-images' })], ...(pin ? { host } : {}) });
  return fleet({ hosts: TWO_ZONES, vms: [member('w1', 'k1'), member('w2', 'k2')] });
};

ruleTable('placement', {
  // Zone a (k1, k2) fails: pinned members cannot restart anywhere; unpinned, one restarts on k3 (zone b)
  // and the hard anti-affinity keeps the other off it, so the group still has a member running.
  'PLC-ZONE-LOSS-ANTI-AFFINITY': {
    compliant: { fleet: zoneGroup(false), placement: { ...pinned(zoneGroup(false)), placements: { w1: 'k1', w2: 'k2' } } },
    nonCompliant: zoneGroup(true),
    targets: ['vms[w1]'],
    mentions: ['zone a', 'anti-affinity group web', 'w1, w2'],
    notApplicable: fleet({ hosts: [kvmHost('k1'), kvmHost('k2')], vms: [vm('w1', { host: 'k1', antiAffinity: 'web' }), vm('w2', { host: 'k2', antiAffinity: 'web' })] }),
  },
  'PLC-ISOLATED-SHARED-HOST': {
    compliant: fleet({ hosts: [kvmHost('k1'), kvmHost('k2')], vms: [vm('i', { host: 'k1', securityClass: 'isolated' }), vm('w', { host: 'k2' })] }),
    nonCompliant: fleet({ vms: [vm('i', { host: 'kvm-a1', securityClass: 'isolated' }), vm('w', { host: 'kvm-a1' })] }),
    targets: ['vms[i]'],
    mentions: ['kvm-a1', 'w'],
    notApplicable: fleet({ vms: [vm('a', { host: 'kvm-a1' }), vm('b', { host: 'kvm-a1' })] }),
  },
  'PLC-ANTI-AFFINITY-ZONE': {
    compliant: fleet({ hosts: TWO_ZONES, vms: [vm('w1', { host: 'k1', antiAffinity: 'web' }), vm('w2', { host: 'k3', antiAffinity: 'web' })] }),
    nonCompliant: fleet({ hosts: TWO_ZONES, vms: [vm('w1', { host: 'k1', antiAffinity: 'web' }), vm('w2', { host: 'k2', antiAffinity: 'web' })] }),
    targets: ['vms[w1]'],
    mentions: ['web', 'zone a'],
    notApplicable: fleet({ hosts: [kvmHost('k1'), kvmHost('k2')], vms: [vm('w1', { host: 'k1', antiAffinity: 'web' }), vm('w2', { host: 'k2', antiAffinity: 'web' })] }),
  },
  'PLC-CPU-OVERCOMMIT': {
    compliant: withUsage(fleet({ hosts: [kvmHost('k1', { overcommit: { cpu: 16, memory: 1 } })] }), 1024),
    nonCompliant: withUsage(fleet({ hosts: [kvmHost('k1', { overcommit: { cpu: 20, memory: 1 } }), kvmHost('k2')] }), 1100),
    targets: ['hosts[k1]', 'hosts[k2]'],
    mentions: ['20x'],
    notApplicable: fleet({ hosts: [] }),
  },
  'PLC-VM-WIDER-THAN-HOST': {
    // 64 CPUs less 2 reserved: a 62-vCPU guest fits, a 63-vCPU one overcommits against itself (Nova,
    // nova/virt/hardware.py: an instance may not overcommit against itself on a NUMA cell).
    compliant: fleet({ vms: [vm('wide', { host: 'kvm-a1', vcpus: 62 })] }),
    nonCompliant: fleet({ vms: [vm('wide', { host: 'kvm-a1', vcpus: 63 })] }),
    targets: ['vms[wide]'],
    mentions: ['63 vCPUs', 'kvm-a1', '62 physical CPUs'],
    notApplicable: fleet({ vms: [vm('wide', { vcpus: 63 })] }),
  },
  'PLC-UNPLACED': {
    compliant: fleet({ vms: [vm('v', { host: 'kvm-a1' })] }),
    nonCompliant: {
      fleet: unplacedFleet,
      placement: pinned(unplacedFleet, { unplaced: [{ vm: 'big', reasons: { k1: 'not enough memory', k2: 'not enough memory', k3: 'zone mismatch' } }] }),
    },
    targets: ['vms[big]'],
    mentions: ['not enough memory (2 hosts: k1, k2); zone mismatch (k3)'],
    notApplicable: fleet(),
  },
});
