import { describe, it, expect } from 'vitest';
import { FleetBuilder, formatProblem, loadFleetFromString } from '../../fleet/index';
import type { Fleet } from '../../fleet/index';
import { BASE_FLEET } from './helpers';

/** The same fleet as BASE_FLEET, in code. */
function baseBuilder(): FleetBuilder {
  return new FleetBuilder({ env: {} })
    .host({ name: 'kvm-1', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-1/system', cpus: 32, memory: '128GiB' })
    .host({ name: 'xen-1', hypervisor: 'xen', uri: 'xen+ssh://root@xen-1/system', cpus: 32, memory: '128GiB', dom0: { memory: '4GiB', vcpus: 2 } })
    .migrationPool({ name: 'mp', hypervisor: 'kvm', hosts: ['kvm-1'], sharedStorage: 'nfs' })
    .network({ name: 'prod', mode: 'bridge', bridge: 'br0' })
    .pool({ name: 'local', type: 'dir', path: '/var/lib/libvirt/images' })
    .pool({ name: 'nfs', type: 'netfs', source: 'nfs1:/x', path: '/mnt/nfs' })
    .image({ name: 'debian', source: '/img/debian.qcow2', pool: 'local' })
    .vm({ name: 'web-1', vcpus: 2, memory: '4GiB', disks: [{ size: '20GiB', pool: 'local', image: 'debian' }], networks: ['prod'], migrationPool: 'mp' })
    .stack({ name: 'site', hosts: ['kvm-1', 'xen-1'] });
}

function withoutSource(fleet: Fleet): Omit<Fleet, 'file' | 'locations'> {
  const { file: _file, locations: _locations, ...rest } = fleet;
  return rest;
}

describe('FleetBuilder', () => {
  it('builds the same fleet as the equivalent YAML', () => {
    const loaded = loadFleetFromString(BASE_FLEET, 'f.yaml', { env: {} });
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    const built = baseBuilder().build();
    expect(withoutSource(built)).toEqual(withoutSource(loaded.fleet));
    expect(built.locations).toEqual({});
  });

  it('takes iSCSI pools, LUN disks and a migration transport, with the loader\'s cross-checks', () => {
    const fleet = baseBuilder()
      .pool({ name: 'san', type: 'iscsi', portal: 'san1:3260', target: 'iqn.2024-01.com.example:vms', initiator: 'iqn.2024-01.com.example:kvm-1' })
      .migrationPool({ name: 'xp', hypervisor: 'xen', hosts: ['xen-1'] })
      .vm({ name: 'app', vcpus: 2, memory: '4GiB', hypervisor: 'kvm', disks: [{ size: '10GiB', pool: 'san', volume: 'unit:0:0:1' }] })
      .build();
    expect(fleet.pools.find((p) => p.name === 'san')).toMatchObject({ portal: 'san1:3260', target: 'iqn.2024-01.com.example:vms', shared: true });
    expect(fleet.vms.find((v) => v.name === 'app')?.disks[0]?.volume).toBe('unit:0:0:1');
    // libxl has no TLS migration (libvirt src/libxl/libxl_migration.h): Xen pools tunnel by default.
    expect(fleet.migrationPools.map((p) => p.transport)).toEqual(['tls', 'tunnelled']);
    // An existing volume of a dir pool is adopted too (issue #15); it must not be written from an image.
    expect(baseBuilder().vm({ name: 'kept', vcpus: 1, memory: '1GiB', disks: [{ pool: 'local', volume: 'kept.qcow2' }] }).build().vms.at(-1)?.disks[0]).toMatchObject({
      pool: 'local',
      volume: 'kept.qcow2',
      sizeMiB: 0,
    });
    expect(() => baseBuilder().vm({ name: 'bad', vcpus: 1, memory: '1GiB', disks: [{ pool: 'local', volume: 'kept.qcow2', image: '/img/debian.qcow2' }] }).build()).toThrow(
      /existing volume 'kept.qcow2' of pool 'local' is used as it is/,
    );
  });

  it('applies defaults like the loader', () => {
    const fleet = baseBuilder().defaults({ kvm: { overcommit: { cpu: 2 } }, placement: { strategy: 'pack' } }).build();
    expect(fleet.hosts[0]?.overcommit).toEqual({ cpu: 2, memory: 1 });
    expect(fleet.defaults.placement.strategy).toBe('pack');
  });

  it('accepts a host distribution and a guest OS, and rejects unknown ones with their path', () => {
    const fleet = baseBuilder()
      .host({ name: 'xen-2', hypervisor: 'xen', uri: 'xen+ssh://root@xen-2/system', cpus: 16, memory: '64GiB', distro: 'xcp-ng' })
      .vm({ name: 'win-1', vcpus: 2, memory: '8GiB', os: 'windows', hypervisor: 'xen', networks: ['prod'] })
      .stack({ name: 'xcp', hosts: ['xen-2'] })
      .build();
    expect(fleet.hosts.find((h) => h.name === 'xen-2')?.distro).toBe('xcp-ng');
    expect(fleet.vms.find((v) => v.name === 'win-1')?.os).toBe('windows');
    const bad = baseBuilder().vm({ name: 'w', vcpus: 1, memory: '1GiB', os: 'beos' as 'other' });
    expect(() => bad.build()).toThrow("vms[1].os: expected one of linux, windows, other, got 'beos'");
  });

  it('throws one error listing every problem with its path', () => {
    const builder = baseBuilder()
      .vm({ name: 'web-1', vcpus: 0, memory: '4GB', networks: ['lab'] })
      .host({ name: 'kvm-2', hypervisor: 'kvm', uri: 'qemu:///system', cpus: 8, memory: '16GiB', dom0: { memory: '1GiB' } });
    expect(() => builder.build()).toThrow(
      [
        'invalid fleet (5 problems):',
        "  vms[1].vcpus: must be greater than 0, got 0",
        "  vms[1].memory: unit 'GB' in '4GB' is ambiguous; write binary units, e.g. '4GiB'",
        "  vms[1].name: duplicate VM name 'web-1' (first declared at vms[0])",
        "  hosts[2].dom0: 'dom0' is for Xen hosts; on a KVM host use 'reserved' for the host OS",
        "  vms[1].networks[0]: unknown network 'lab'; declared networks: prod",
      ].join('\n'),
    );
  });
});
