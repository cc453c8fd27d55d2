/**
 * fleet/normalize.ts builds VMs and disks with `Object.assign` and assignments rather than an object spread
 * (a spread gave each of them a V8 hidden class of its own). The keys and their order stay those the
 * spread gave: anything that serializes a VM or a disk keeps its bytes.
 */
import { describe, expect, it } from 'vitest';
import { loadFleetFromString } from '../../fleet/index';

const TEXT = `apiVersion: hyperplan/v1
hosts:
  - { name: kvm-a1, hypervisor: kvm, uri: qemu+ssh://root@kvm-a1/system, cpus: 64, memory: 512GiB }
networks: [{ name: prod, mode: bridge, bridge: br0 }]
pools: [{ name: images, type: dir, path: /var/lib/libvirt/images }]
vms:
  - name: full
    vcpus: 2
    memory: 1048577KiB
    currentMemory: 512MiB
    hugepages: 2MiB
    hypervisor: auto
    guestType: pvh
    disks:
      - { size: 1048577KiB, pool: images, bus: xen }
      - { network: { protocol: nbd, name: data, hosts: [{ host: nbd1.example.com, port: 10809 }] }, data: true }
    networks: [prod]
  - { name: plain, vcpus: 1, memory: 1GiB, disks: [{ size: 10GiB, pool: images }], networks: [prod] }
`;

describe('normalized VMs and disks', () => {
  const loaded = loadFleetFromString(TEXT, 'fleet.yaml', { fastPath: 'never' });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  const [full, plain] = loaded.fleet.vms;

  it('keep the order of keys the spread gave: the schema fields, then the derived ones', () => {
    const derived = ['memoryMiB', 'memoryKiB', 'currentMemoryKiB', 'hugepages', 'hugepageSizeKiB', 'disks', 'networks', 'cloudInit', 'graphics', 'hostdevs'];
    expect(Object.keys(full!).slice(-derived.length)).toEqual(derived);
    expect(Object.keys(plain!).slice(-7)).toEqual(['memoryMiB', 'hugepages', 'disks', 'networks', 'cloudInit', 'graphics', 'hostdevs']);
    // hypervisor stays where the schema put it, with the value the guest type asks for.
    expect(Object.keys(full!).indexOf('hypervisor')).toBeLessThan(Object.keys(full!).indexOf('memoryMiB'));
    expect(full!.hypervisor).toBe('xen');
  });

  it('keep the values: sizes in MiB (rounded up) with the exact KiB, and copied network sources', () => {
    expect(full!.memoryMiB).toBe(1025);
    expect(full!.memoryKiB).toBe(1048577);
    expect(full!.currentMemoryKiB).toBe(512 * 1024);
    expect(full!.hugepageSizeKiB).toBe(2048);
    expect(Object.keys(full!.disks[0]!)).toEqual(['pool', 'bus', 'data', 'sizeMiB', 'sizeKiB']);
    expect(full!.disks[0]!).toMatchObject({ sizeMiB: 1025, sizeKiB: 1048577 });
    expect(Object.keys(full!.disks[1]!)).toEqual(['data', 'sizeMiB', 'network']);
    expect(full!.disks[1]!.network).toEqual({ protocol: 'nbd', name: 'data', hosts: [{ host: 'nbd1.example.com', port: 10809 }] });
    expect(Object.keys(plain!.disks[0]!)).toEqual(['pool', 'data', 'sizeMiB']);
  });
});
