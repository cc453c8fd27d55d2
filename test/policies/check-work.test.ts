/**
 * How much lookup work `check` does per VM and per host, counted rather than timed (the count is the same
 * on any machine): at 1,000 hosts and 20,000 VMs the effective VMs looked the fleet index up once per
 * disk, NIC, image and pool, and PLC-VM-WIDER-THAN-HOST worked a host's capacity out again for each of
 * its VMs.
 */
import { describe, expect, it, vi } from 'vitest';
import { effectiveVm } from '../../fleet/effective-vm';
import { plcVmWiderThanHost } from '../../policies/rules/placement/plc-vm-wider-than-host';
import { disk, fleet, kvmHost, nic, run, vm, xenHost } from './fixtures';

const counted = vi.hoisted(() => ({ indexLookups: 0, guestCpus: 0 }));

vi.mock('../../fleet/fleet-index', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../fleet/fleet-index')>();
  return {
    ...actual,
    fleetIndex: (...args: Parameters<typeof actual.fleetIndex>) => {
      counted.indexLookups += 1;
      return actual.fleetIndex(...args);
    },
  };
});

vi.mock('../../planner/capacity', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../planner/capacity')>();
  return {
    ...actual,
    guestPhysicalCpus: (...args: Parameters<typeof actual.guestPhysicalCpus>) => {
      counted.guestCpus += 1;
      return actual.guestPhysicalCpus(...args);
    },
  };
});

describe('check work', () => {
  it('looks the fleet index up once per effective VM, whatever its disks, NICs, images and pool', () => {
    const disks = [disk({ image: 'https://example.com/a.qcow2' }), disk({ image: 'https://example.com/b.qcow2', data: true }), disk({ pool: 'nfs-images', data: true })];
    const many = vm('many', { disks, networks: [nic(), nic()], migrationPool: 'mp' });
    const f = fleet({ vms: [many, vm('one')] });
    counted.indexLookups = 0;
    effectiveVm(f, many, 'kvm');
    effectiveVm(f, f.vms[1]!, 'xen');
    expect(counted.indexLookups).toBe(2);
    // Made once per fleet, VM and hypervisor: asking again looks nothing up.
    effectiveVm(f, many, 'kvm');
    expect(counted.indexLookups).toBe(2);
  });

  it("works out a host's CPUs for guests once per host, not once per VM on it", () => {
    const hosts = [kvmHost('k1', { cpus: 4 }), kvmHost('k2'), xenHost('x1', { cpus: 8 })];
    const vms = [vm('a', { host: 'k1', vcpus: 8 }), vm('b', { host: 'k1' }), vm('c', { host: 'k1' }), vm('d', { host: 'x1', vcpus: 16 }), vm('e', { host: 'x1' })];
    counted.guestCpus = 0;
    const results = run(plcVmWiderThanHost, fleet({ hosts, vms }));
    expect(results.map((r) => r.target)).toEqual(['vms[a]', 'vms[d]']);
    // k1 and x1 carry VMs; k2 carries none and is not asked about.
    expect(counted.guestCpus).toBe(2);
  });
});
