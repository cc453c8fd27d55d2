import { describe, expect, it } from 'vitest';
import { Testing } from '../../constructs/cdk-engine';
import { GuestNetwork, ipv4Layout } from '../../constructs/guest-network';
import { LibvirtProvider, Network, Pool } from '../../constructs/libvirt-bindings';
import { MigrationPool, virshMigrateTemplate } from '../../constructs/migration-pool';
import { StoragePool } from '../../constructs/storage-pool';
import type { Network as NetworkSpec, StoragePool as StoragePoolSpec } from '../../fleet/model';
import { checkConformance } from '../../schema/conformance';
import { kvmHost, synthJson, xenHost } from './fixtures';

const network = (spec: NetworkSpec) =>
  Testing.synthScope((scope) => {
    const provider = new LibvirtProvider(scope, 'p', { alias: 'kvm_a1', uri: 'qemu:///system' });
    new GuestNetwork(scope, 'n', { network: spec, provider, hostName: 'kvm-a1' });
  });

const pool = (spec: StoragePoolSpec) =>
  Testing.synthScope((scope) => {
    const provider = new LibvirtProvider(scope, 'p', { alias: 'kvm_a1', uri: 'qemu:///system' });
    new StoragePool(scope, 's', { pool: spec, provider, hostName: 'kvm-a1' });
  });

describe('GuestNetwork', () => {
  it('renders a NAT network with gateway, netmask and DHCP range from the CIDR', () => {
    const synth = network({ name: 'lab', mode: 'nat', cidr: '192.168.122.0/24' });
    expect(synth).toHaveResourceWithProperties(Network, {
      name: 'lab',
      autostart: true,
      forward: { mode: 'nat' },
      ips: [{ address: '192.168.122.1', netmask: '255.255.255.0', dhcp: { ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }] } }],
      provider: 'libvirt.kvm_a1',
    });
    expect(JSON.parse(synth).resource.libvirt_network).toHaveProperty('kvm_a1_net_lab');
    expect(checkConformance(JSON.parse(synth))).toEqual([]);
  });

  it('renders a bridge network as forward mode bridge on the host bridge, and an isolated one without forward', () => {
    expect(network({ name: 'prod', mode: 'bridge', bridge: 'br0' })).toHaveResourceWithProperties(Network, { forward: { mode: 'bridge' }, bridge: { name: 'br0' } });
    const isolated = JSON.parse(network({ name: 'backend', mode: 'isolated', cidr: '10.10.0.0/24' })).resource.libvirt_network.kvm_a1_net_backend;
    expect(isolated.forward).toBeUndefined();
    expect(isolated.ips[0].address).toBe('10.10.0.1');
  });

  it('rejects a bridge network without a bridge and a bad CIDR, with both messages', () => {
    expect(() => network({ name: 'x', mode: 'bridge' })).toThrow(/network 'x' has mode bridge but no bridge; set bridge/);
    expect(() => network({ name: 'y', mode: 'nat', cidr: '10.0.0.0/33' })).toThrow(/network 'y' has cidr '10\.0\.0\.0\/33'; expected an IPv4 network/);
  });

  it('computes IPv4 layouts', () => {
    expect(ipv4Layout('10.1.2.128/25')).toEqual({ gateway: '10.1.2.129', netmask: '255.255.255.128', dhcpStart: '10.1.2.130', dhcpEnd: '10.1.2.254' });
    expect(ipv4Layout('300.0.0.0/8')).toBeUndefined();
  });
});

describe('StoragePool', () => {
  it('builds, starts and autostarts a dir pool at its path', () => {
    const synth = pool({ name: 'images', type: 'dir', path: '/var/lib/libvirt/images', shared: false });
    expect(synth).toHaveResourceWithProperties(Pool, {
      name: 'images', type: 'dir', target: { path: '/var/lib/libvirt/images' }, create: { build: true, start: true, autostart: true },
    });
    expect(checkConformance(JSON.parse(synth))).toEqual([]);
  });

  it('maps a netfs source to host and export directory', () => {
    expect(pool({ name: 'nfs', type: 'netfs', source: 'nfs1:/export/images', path: '/mnt/nfs', shared: true })).toHaveResourceWithProperties(Pool, {
      source: { host: [{ name: 'nfs1' }], dir: { path: '/export/images' } },
    });
  });

  it('never builds a logical pool (that would write a new volume group over the device)', () => {
    expect(pool({ name: 'vg', type: 'logical', source: 'vg0', shared: false })).toHaveResourceWithProperties(Pool, {
      source: { name: 'vg0' }, create: { build: false, start: true, autostart: true },
    });
  });

  it('gives device-backed pools without a path the target libvirt requires (/dev/<vg> for logical)', () => {
    expect(pool({ name: 'vg', type: 'logical', source: 'vg0', shared: false })).toHaveResourceWithProperties(Pool, { target: { path: '/dev/vg0' } });
    expect(pool({ name: 'lun', type: 'iscsi', portal: 'san1', target: 'iqn.2026-01.com.example:lun1', shared: true })).toHaveResourceWithProperties(Pool, {
      target: { path: '/dev/disk/by-path' },
    });
  });

  // libvirt docs/storage.rst ("Example iSCSI pool input") and formatstorage.rst: the portal is
  // <source><host name=… port=…/>, the target IQN <source><device path=…/>, the initiator <initiator><iqn name=…/>.
  it('renders an iSCSI portal as <host> (with its port), the target IQN as <device> and the initiator as <initiator><iqn>', () => {
    const synth = pool({
      name: 'san', type: 'iscsi', portal: 'san1.example.com:3260', target: 'iqn.2024-01.com.example:vms', initiator: 'iqn.2024-01.com.example:host1', shared: true,
    });
    expect(synth).toHaveResourceWithProperties(Pool, {
      source: {
        host: [{ name: 'san1.example.com', port: '3260' }],
        device: [{ path: 'iqn.2024-01.com.example:vms' }],
        initiator: { iqn: { name: 'iqn.2024-01.com.example:host1' } },
      },
      // iSCSI pools are never built: the target exists on the storage side.
      create: { build: false, start: true, autostart: true },
    });
    expect(checkConformance(JSON.parse(synth))).toEqual([]);
    expect(pool({ name: 'san', type: 'iscsi', portal: '10.0.0.5', target: 'iqn.2024-01.com.example:vms', shared: true })).toHaveResourceWithProperties(Pool, {
      source: { host: [{ name: '10.0.0.5' }], device: [{ path: 'iqn.2024-01.com.example:vms' }] },
    });
  });

  it('rejects an iSCSI pool without portal and target, and iscsi-direct without an initiator (libvirt storage.rst: it requires one)', () => {
    expect(() => pool({ name: 'san', type: 'iscsi', shared: true })).toThrow(/pool 'san' \(type iscsi\) needs portal .* and target/);
    expect(() => pool({ name: 'd', type: 'iscsi-direct', portal: 'san1', target: 'iqn.2024-01.com.example:vms', shared: true })).toThrow(/needs initiator/);
  });

  it('rejects a dir pool without a path and a netfs source without host:/path', () => {
    expect(() => pool({ name: 'images', type: 'dir', shared: false })).toThrow(/pool 'images' \(type dir\) has no path/);
    expect(() => pool({ name: 'n', type: 'netfs', source: 'nfs1', path: '/mnt', shared: true })).toThrow(/has source 'nfs1'; expected host:\/path/);
  });
});

describe('MigrationPool', () => {
  it('exports members, headroom and the virsh migrate template', () => {
    const json = synthJson((scope) => {
      new MigrationPool(scope, 'm', {
        pool: { name: 'pool-a', hypervisor: 'kvm', hosts: ['kvm-a1', 'kvm-a2'], sharedStorage: 'nfs-images', cpuModel: 'host-model', reserve: 'n+1' },
        hosts: [kvmHost('kvm-a1'), kvmHost('kvm-a2')],
        headroom: { name: 'pool-a', reserve: 'n+1', satisfied: true, worstCase: ['kvm-a1'], spare: { cpu: 100, memoryMiB: 2048 } },
      });
    });
    expect(json.output?.pool_a_members?.value).toEqual({ 'kvm-a1': 'qemu+ssh://root@kvm-a1/system', 'kvm-a2': 'qemu+ssh://root@kvm-a2/system' });
    // No transport declared on a KVM pool: TLS (libvirt docs/migration.rst: the stream carries all guest RAM).
    expect(json.output?.pool_a_migrate_command?.value).toBe('virsh -c <src-uri> migrate --live --persistent --undefinesource --tls <vm> <dst-uri>');
    expect(json.output?.pool_a_headroom?.value).toEqual({ reserve: 'n+1', satisfied: true, worst_case: ['kvm-a1'], spare_cpu: 100, spare_memory_mib: 2048 });
  });

  it('puts the pool transport into the template: --p2p --tunnelled (tunnelled needs peer-to-peer), none for plain', () => {
    // libvirt src/libvirt-domain.c: "cannot perform tunnelled migration without using peer2peer flag".
    expect(virshMigrateTemplate('tunnelled')).toBe('virsh -c <src-uri> migrate --live --persistent --undefinesource --p2p --tunnelled <vm> <dst-uri>');
    expect(virshMigrateTemplate('plain')).toBe('virsh -c <src-uri> migrate --live --persistent --undefinesource <vm> <dst-uri>');
    const json = synthJson((scope) => {
      new MigrationPool(scope, 'm', { pool: { name: 'xp', hypervisor: 'xen', hosts: ['x1'], cpuModel: 'host-model', reserve: 'none' }, hosts: [xenHost('x1')] });
    });
    // libxl has no TLS migration (src/libxl/libxl_migration.h), so a Xen pool tunnels by default.
    expect(json.output?.xp_migrate_command?.value).toContain('--p2p --tunnelled');
  });

  it('requires every member host', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new MigrationPool(scope, 'm', { pool: { name: 'p', hypervisor: 'kvm', hosts: ['a', 'b'], cpuModel: 'host-model', reserve: 'none' }, hosts: [kvmHost('a')] });
      }),
    ).toThrow(/migration pool 'p' lists hosts \[b\] that were not passed in hosts/);
  });
});
