/**
 * What an adopted object synthesizes (`adopt(uuid, provider)` of VirtualMachine, GuestNetwork and
 * StoragePool, called by `synth --adopt`): a Terraform `import` block plus the configuration provider
 * v0.9.7 reads back after the import, so that the first plan changes nothing (proved end to end with the
 * real provider in test/e2e/adopt.test.ts). The facts, at tag v0.9.7 of dmacvicar/terraform-provider-libvirt:
 * - internal/provider/domain_resource.go, Read: "Detect import: after ImportState, only UUID is set" →
 *   `DomainFromXML(ctx, parsedDomain, nil)`, and internal/codegen/templates/convert.go.tmpl fills every
 *   attribute when `plan == nil`, presence booleans as `types.BoolValue(xml.X != nil)` (false, never null);
 * - libvirt reports its defaults in every definition: on_poweroff destroy, on_reboot restart, on_crash
 *   destroy (formatdomain "Events configuration"), clock offset utc (formatdomain "Time keeping"),
 *   currentMemory = memory (libvirt src/conf/domain_postparse.c, virDomainDefPostParseMemory sets
 *   cur_balloon to the total), boot dev hd for HVM without a boot order (domain_postparse.c,
 *   virDomainDefBootOrderPostParse), `<vcpu placement='static'>`, memory in KiB;
 * - internal/provider/network_resource.go and pool_resource.go, Read: "use current state as plan to
 *   preserve user intent", so after import (state = the id) nested attributes are never read; pool
 *   `create` is configuration only, and pool Update refuses everything ("Storage pools cannot be updated").
 */
import { describe, expect, it } from 'vitest';
import type { Construct } from 'constructs';
import { Testing } from '../../constructs/cdk-engine';
import { GuestNetwork } from '../../constructs/guest-network';
import { KvmHost } from '../../constructs/kvm-host';
import { LibvirtProvider } from '../../constructs/libvirt-bindings';
import { StoragePool } from '../../constructs/storage-pool';
import { VirtualMachine } from '../../constructs/virtual-machine';
import { XenHost } from '../../constructs/xen-host';
import type { Fleet, Vm } from '../../fleet/model';
import { fleet, kvmHost, resolved, resources, vm, xenHost, type TerraformJson } from './fixtures';

const UUID = '11111111-2222-3333-4444-555555555501';

/** Synthesizes `v` on one host, adopted (`adopt` called) or created; returns the JSON and what adopt returned. */
function synth(kind: 'kvm' | 'xen', v: Vm, adopt: boolean, f: Fleet = fleet({ vms: [v] })): { json: TerraformJson; ignored: string[] | undefined } {
  let ignored: string[] | undefined;
  const build = (scope: Construct) => {
    const catalog = { pools: new Map(f.pools.map((p) => [p.name, p])), networks: new Map(f.networks.map((n) => [n.name, n])) };
    const host = kind === 'kvm' ? new KvmHost(scope, 'kvm-a1', { host: kvmHost('kvm-a1'), catalog }) : new XenHost(scope, 'xen-s1', { host: xenHost('xen-s1'), catalog });
    const machine = new VirtualMachine(host, `vm-${v.name}`, { effective: resolved(f, v, host.host), host });
    if (adopt) ignored = machine.adopt(UUID, host.provider);
  };
  return { json: JSON.parse(Testing.synthScope(build)) as TerraformJson & { import?: unknown[] }, ignored };
}

const domainOf = (json: TerraformJson): Record<string, any> => Object.values(resources(json, 'libvirt_domain'))[0]!;

describe('an adopted domain renders what provider 0.9.7 reads back after import', () => {
  const web = vm('web-1', { vcpus: 2, memoryMiB: 2048, disks: [{ sizeMiB: 20 * 1024, pool: 'images', volume: 'web-1-disk0.qcow2', data: false }], networks: [{ network: 'lab' }], rng: true });

  it('imports by UUID and spells out the defaults libvirt reports: memory and currentMemory in KiB, events, clock, boot device, vCPU placement', () => {
    const { json } = synth('kvm', web, true);
    expect((json as { import?: unknown[] }).import).toEqual([{ id: UUID, provider: 'libvirt.kvm_a1', to: 'libvirt_domain.kvm_a1_web_1' }]);
    const domain = domainOf(json);
    expect(domain).toMatchObject({
      memory: 2097152, memory_unit: 'KiB', current_memory: 2097152, current_memory_unit: 'KiB',
      on_poweroff: 'destroy', on_reboot: 'restart', on_crash: 'destroy',
      clock: { offset: 'utc' }, vcpu_placement: 'static',
    });
    expect(domain.os.boot_devices).toEqual([{ dev: 'hd' }]);
  });

  it('renders false for every presence boolean of the objects the provider reads: features, disks, NIC and chardev sources, the RNG backend', () => {
    const domain = domainOf(synth('kvm', web, true).json);
    expect(domain.features).toEqual({ acpi: true, apic: {}, pae: false, priv_net: false, viridian: false });
    expect(domain.devices.disks[0]).toMatchObject({ device: 'disk', read_only: false, shareable: false });
    expect(domain.devices.interfaces[0].source).toMatchObject({ null: false, network: { network: '${libvirt_network.kvm_a1_net_lab.name}' } });
    expect(domain.devices.rngs[0].backend).toEqual({ built_in: false, random: '/dev/urandom' });
    for (const chardev of [...domain.devices.serials, ...domain.devices.consoles]) {
      expect(chardev.source).toEqual({ null: false, pty: { path: '' }, spice_vmc: false, std_io: false, vc: false });
    }
  });

  it('keeps what the fleet sets over the defaults: a balloon target, exact KiB, a CD-ROM (read-only, libvirt domain_postparse.c: "Force CDROM to be listed as read only"), a read-only disk', () => {
    const cd = vm('cd-1', {
      memoryMiB: 1025, memoryKiB: 1049601, currentMemoryKiB: 524288,
      disks: [
        { sizeMiB: 0, device: 'cdrom', path: '/isos/install.iso', data: false },
        { sizeMiB: 0, path: '/dev/sdb', readonly: true, data: false },
      ],
    });
    const domain = domainOf(synth('kvm', cd, true).json);
    expect(domain).toMatchObject({ memory: 1049601, memory_unit: 'KiB', current_memory: 524288, current_memory_unit: 'KiB' });
    expect(domain.devices.disks.map((d: { device: string; read_only: boolean }) => [d.device, d.read_only])).toEqual([['cdrom', true], ['disk', true]]);
  });

  it("renders the fleet's event actions, adopted or not, and libvirt's defaults for the others only when adopted", () => {
    const events = vm('ev-1', { onReboot: 'destroy', onCrash: 'coredump-restart' });
    expect(domainOf(synth('kvm', events, true).json)).toMatchObject({ on_poweroff: 'destroy', on_reboot: 'destroy', on_crash: 'coredump-restart' });
    const created = domainOf(synth('kvm', events, false).json);
    expect(created).toMatchObject({ on_reboot: 'destroy', on_crash: 'coredump-restart' });
    expect(created).not.toHaveProperty('on_poweroff');
  });

  it('ignores what libvirt assigns itself: controllers, each device address, the tap device name of NICs the fleet names none for', () => {
    // formatdomain "Device Addresses" (libvirt generates an omitted address) and "Overriding the target
    // element" (generated tap names); the SATA controller libvirt adds for a SATA disk was found end to end.
    const nics = vm('nics-1', { networks: [{ network: 'lab' }, { network: 'lab', target: 'tap-db' }, { type: 'user' }] });
    const { json, ignored } = synth('kvm', nics, true);
    const expected = [
      'devices.controllers', 'devices.disks[0].address',
      'devices.interfaces[0].address', 'devices.interfaces[0].target', 'devices.interfaces[1].address', 'devices.interfaces[2].address',
    ];
    expect(ignored).toEqual(expected);
    expect(domainOf(json).lifecycle).toEqual({ ignore_changes: expected });
  });

  it('gives a Xen PV guest no boot device (libvirt adds hd for HVM only) and no features', () => {
    const pv = vm('pv-1', { guestType: 'pv', disks: [{ sizeMiB: 10240, pool: 'images', volume: 'pv-1.qcow2', data: false }], networks: [] });
    const domain = domainOf(synth('xen', pv, true).json);
    expect(domain.os.type).toBe('linux');
    expect(domain.os.boot_devices).toBeUndefined();
    expect(domain.features).toBeUndefined();
    expect(domain).toMatchObject({ on_crash: 'destroy', memory_unit: 'KiB' });
  });

  it('leaves a created (not adopted) domain as it was: memory in MiB, none of the reported defaults', () => {
    const domain = domainOf(synth('kvm', web, false).json);
    expect(domain).toMatchObject({ memory: 2048, memory_unit: 'MiB' });
    for (const key of ['current_memory', 'on_poweroff', 'on_reboot', 'on_crash', 'clock', 'vcpu_placement', 'lifecycle']) expect(domain).not.toHaveProperty(key);
    expect(domain.os).not.toHaveProperty('boot_devices');
    expect(domain.features).toEqual({ acpi: true, apic: {} });
    expect(domain.devices.disks[0]).not.toHaveProperty('read_only');
  });
});

describe('an adopted network or pool ignores the changes of what provider 0.9.7 does not read after import', () => {
  const adopted = (build: (scope: Construct, provider: LibvirtProvider) => string[]): { json: TerraformJson; ignored: string[] } => {
    let ignored: string[] = [];
    const json = JSON.parse(Testing.synthScope((scope) => {
      ignored = build(scope, new LibvirtProvider(scope, 'p', { alias: 'kvm_a1', uri: 'qemu:///system' }));
    })) as TerraformJson;
    return { json, ignored };
  };

  it('a NAT network: forward and ips, nothing else', () => {
    const { json, ignored } = adopted((scope, provider) =>
      new GuestNetwork(scope, 'n', { network: { name: 'lab', mode: 'nat', cidr: '10.1.0.0/24' }, provider, hostName: 'kvm-a1' }).adopt(UUID, provider));
    expect(ignored).toEqual(['forward', 'ips']);
    expect(resources(json, 'libvirt_network').kvm_a1_net_lab!.lifecycle).toEqual({ ignore_changes: ['forward', 'ips'] });
  });

  it('a bridge network: forward and bridge', () => {
    const { ignored } = adopted((scope, provider) =>
      new GuestNetwork(scope, 'n', { network: { name: 'prod', mode: 'bridge', bridge: 'br0' }, provider, hostName: 'kvm-a1' }).adopt(UUID, provider));
    expect(ignored).toEqual(['forward', 'bridge']);
  });

  it('a dir pool: target and create; a netfs pool: source too', () => {
    const dir = adopted((scope, provider) =>
      new StoragePool(scope, 's', { pool: { name: 'images', type: 'dir', path: '/var/lib/libvirt/images', shared: false }, provider, hostName: 'kvm-a1' }).adopt(UUID, provider));
    expect(dir.ignored).toEqual(['target', 'create']);
    expect(resources(dir.json, 'libvirt_pool').kvm_a1_pool_images!.lifecycle).toEqual({ ignore_changes: ['target', 'create'] });
    const netfs = adopted((scope, provider) =>
      new StoragePool(scope, 's', { pool: { name: 'nfs', type: 'netfs', source: 'nfs1:/export', path: '/mnt/nfs', shared: true }, provider, hostName: 'kvm-a1' }).adopt(UUID, provider));
    expect(netfs.ignored).toEqual(['source', 'target', 'create']);
  });
});
