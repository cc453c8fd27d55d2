import { describe, expect, it } from 'vitest';
import { Testing } from '../../constructs/cdk-engine';
import type { Construct } from 'constructs';
import { KvmHost } from '../../constructs/kvm-host';
import { Domain, Volume } from '../../constructs/libvirt-bindings';
import { VirtualMachine } from '../../constructs/virtual-machine';
import { XenHost } from '../../constructs/xen-host';
import { Secret } from '../../fleet/secret';
import type { Fleet, Vm } from '../../fleet/model';
import { checkConformance } from '../../schema/conformance';
import { fleet, kvmHost, resolved, resources, vm, xenHost, type TerraformJson } from './fixtures';

const catalogOf = (f: Fleet) => ({ pools: new Map(f.pools.map((p) => [p.name, p])), networks: new Map(f.networks.map((n) => [n.name, n])) });

/** Synthesizes `vms` on one KVM (or Xen) host of a fleet. */
function onHost(kind: 'kvm' | 'xen', vms: readonly Vm[], f: Fleet = fleet({ vms })): { synth: string; json: TerraformJson } {
  const build = (scope: Construct) => {
    const catalog = catalogOf(f);
    const host = kind === 'kvm' ? new KvmHost(scope, 'kvm-a1', { host: kvmHost('kvm-a1'), catalog }) : new XenHost(scope, 'xen-s1', { host: xenHost('xen-s1'), catalog });
    for (const v of vms) new VirtualMachine(host, `vm-${v.name}`, { effective: resolved(f, v, host.host), host });
  };
  const synth = Testing.synthScope(build);
  return { synth, json: JSON.parse(synth) as TerraformJson };
}

const domainOf = (json: TerraformJson, address: string) => resources(json, 'libvirt_domain')[address] as Record<string, any>;

describe('VirtualMachine on KVM', () => {
  const web = vm('web-1', {
    vcpus: 4,
    memoryMiB: 8192,
    disks: [
      { sizeMiB: 40 * 1024, pool: 'images', image: '/var/lib/libvirt/images/debian-12.qcow2', data: false },
      { sizeMiB: 100 * 1024, pool: 'images', data: true },
    ],
  });

  it('renders the KVM defaults: q35, host-model CPU, virtio disk and NIC, qemu driver with cache=none (io=threads on qcow2), memory in MiB', () => {
    const { synth, json } = onHost('kvm', [web]);
    expect(synth).toHaveResourceWithProperties(Domain, {
      name: 'web-1',
      type: 'kvm',
      provider: 'libvirt.kvm_a1',
      memory: 8192,
      memory_unit: 'MiB',
      vcpu: 4,
      cpu: { mode: 'host-model' },
      os: { type: 'hvm', type_arch: 'x86_64', type_machine: 'q35' },
    });
    const domain = domainOf(json, 'kvm_a1_web_1');
    expect(domain.devices.disks[0]).toEqual({
      source: { volume: { pool: '${libvirt_volume.kvm_a1_web_1_disk0.pool}', volume: '${libvirt_volume.kvm_a1_web_1_disk0.name}' } },
      target: { dev: 'vda', bus: 'virtio' },
      // A sparse qcow2 allocates clusters on first write, which blocks io=native (Linux AIO) in QEMU's event loop.
      driver: { name: 'qemu', type: 'qcow2', cache: 'none', io: 'threads' },
    });
    expect(domain.devices.disks[1].target).toEqual({ dev: 'vdb', bus: 'virtio' });
    expect(domain.devices.interfaces).toEqual([{ source: { bridge: { bridge: 'br0' } }, model: { type: 'virtio' } }]);
    expect(domain.devices.rngs).toEqual([{ model: 'virtio', backend: { random: '/dev/urandom' } }]);
    expect(domain.devices.mem_balloon).toEqual({ model: 'virtio' });
    expect(domain.devices.serials).toEqual([{ source: { pty: { path: '' } }, target: { port: 0 } }]);
    expect(domain.features).toEqual({ acpi: true, apic: {} });
    expect(domain.graphics).toBeUndefined();
    expect(checkConformance(json)).toEqual([]);
    expect(json.resource).toMatchSnapshot();
  });

  // QEMU block/file-posix.c: aio=native needs cache.direct=on; Nova (nova/virt/libvirt/imagebackend.py) uses
  // native only for fully allocated volumes. libvirt allocates a raw volume in full (storage_conf.c: no
  // <allocation> means allocation = capacity), and an LV is a block device.
  it('gives raw volumes io=native and keeps an explicit io as written', () => {
    const lvm = { name: 'lvm', type: 'logical' as const, source: 'vg0', shared: false };
    const f = fleet({ pools: [...fleet().pools, lvm] });
    const db = vm('db', { disks: [
      { sizeMiB: 1024, pool: 'images', format: 'raw', data: false },
      { sizeMiB: 1024, pool: 'lvm', data: true },
      { sizeMiB: 1024, pool: 'images', io: 'io_uring', data: true },
    ] });
    const domain = domainOf(onHost('kvm', [db], { ...f, vms: [db] }).json, 'kvm_a1_db');
    expect(domain.devices.disks.map((d: { driver: unknown }) => d.driver)).toEqual([
      { name: 'qemu', type: 'raw', cache: 'none', io: 'native' },
      // A disk in a logical pool is raw unless it says otherwise: libvirt creates plain LVs there.
      { name: 'qemu', type: 'raw', cache: 'none', io: 'native' },
      { name: 'qemu', type: 'qcow2', cache: 'none', io: 'io_uring' },
    ]);
  });

  // libvirt docs/storage.rst, iSCSI pool: "Volumes must be pre-allocated on the iSCSI server, and cannot be
  // created via the libvirt APIs" — the domain references the LUN and no libvirt_volume is synthesized.
  it('references an existing LUN of an iSCSI pool and creates no volume for it', () => {
    const san = { name: 'san', type: 'iscsi' as const, portal: 'san1', target: 'iqn.2024-01.com.example:vms', shared: true };
    const f = fleet({ pools: [...fleet().pools, san] });
    const app = vm('app', { disks: [{ sizeMiB: 1024, pool: 'images', data: false }, { sizeMiB: 10240, pool: 'san', volume: 'unit:0:0:1', data: true }] });
    const { json } = onHost('kvm', [app], { ...f, vms: [app] });
    expect(Object.keys(resources(json, 'libvirt_volume'))).toEqual(['kvm_a1_app_disk0']);
    const domain = domainOf(json, 'kvm_a1_app');
    expect(domain.devices.disks[1]).toEqual({
      source: { volume: { pool: '${libvirt_pool.kvm_a1_pool_san.name}', volume: 'unit:0:0:1' } },
      target: { dev: 'vdb', bus: 'virtio' },
      driver: { name: 'qemu', type: 'raw', cache: 'none', io: 'native' },
    });
    expect(checkConformance(json)).toEqual([]);
  });

  it('protects data volumes against destroy and makes the OS disk an overlay on one shared base image', () => {
    const { json } = onHost('kvm', [web, vm('web-2')]);
    const volumes = resources(json, 'libvirt_volume');
    expect(volumes.kvm_a1_web_1_disk1).toMatchObject({ name: 'web-1-disk1.qcow2', capacity: 100 * 1024 ** 3, lifecycle: { prevent_destroy: true } });
    expect(volumes.kvm_a1_web_1_disk0?.lifecycle).toBeUndefined();
    expect(volumes.kvm_a1_web_1_disk0).toMatchObject({
      capacity: 40 * 1024 ** 3,
      backing_store: { path: '${libvirt_volume.kvm_a1_image_images_debian_12_qcow2.path}', format: { type: 'qcow2' } },
    });
    const images = Object.keys(volumes).filter((address) => address.includes('_image_'));
    expect(images).toEqual(['kvm_a1_image_images_debian_12_qcow2']);
    expect(volumes.kvm_a1_image_images_debian_12_qcow2).toMatchObject({
      name: 'debian-12.qcow2',
      pool: '${libvirt_pool.kvm_a1_pool_images.name}',
      create: { content: { url: '/var/lib/libvirt/images/debian-12.qcow2' } },
    });
  });

  it('lets a data disk opt out of destroy protection', () => {
    const v = vm('scratch', { disks: [{ sizeMiB: 1024, pool: 'images', data: true, preventDestroy: false }] });
    expect(resources(onHost('kvm', [v]).json, 'libvirt_volume').kvm_a1_scratch_disk0?.lifecycle).toBeUndefined();
  });

  it('passes host PCI devices through, managed, from their domain:bus:slot.function address', () => {
    const { json } = onHost('kvm', [vm('gpu-1', { hostdevs: ['0000:3b:00.0', '0000:af:1f.7'] })]);
    expect(domainOf(json, 'kvm_a1_gpu_1').devices.hostdevs).toEqual([
      { managed: true, subsys_pci: { source: { address: { domain: 0, bus: 0x3b, slot: 0, function: 0 } } } },
      { managed: true, subsys_pci: { source: { address: { domain: 0, bus: 0xaf, slot: 0x1f, function: 7 } } } },
    ]);
    expect(checkConformance(json)).toEqual([]);
    expect(domainOf(onHost('kvm', [vm('plain-1')]).json, 'kvm_a1_plain_1').devices.hostdevs).toBeUndefined();
  });

  it('binds numa: strict|preferred guests to a node: numatune memory mode with placement auto, vcpu placement auto', () => {
    // libvirt formatdomain "NUMA Node Tuning": <numatune><memory mode='strict|preferred' placement='auto'/>;
    // "CPU Allocation": <vcpu placement='auto'> pins the vCPUs to numad's advisory nodeset.
    const { json } = onHost('kvm', [vm('db-1', { numa: 'strict' }), vm('db-2', { numa: 'preferred' }), vm('web-1')]);
    expect(domainOf(json, 'kvm_a1_db_1')).toMatchObject({ numa_tune: { memory: { mode: 'strict', placement: 'auto' } }, vcpu_placement: 'auto' });
    expect(domainOf(json, 'kvm_a1_db_2').numa_tune).toEqual({ memory: { mode: 'preferred', placement: 'auto' } });
    expect(domainOf(json, 'kvm_a1_web_1').numa_tune).toBeUndefined();
    expect(domainOf(json, 'kvm_a1_web_1').vcpu_placement).toBeUndefined();
    expect(checkConformance(json)).toEqual([]);
  });

  it('backs hugepages: true with the host page size and a named size with <page size unit=KiB>', () => {
    // libvirt formatdomain "Memory Backing": <hugepages/> uses the default huge page size; <page size= unit=>
    // asks for one.
    const { json } = onHost('kvm', [vm('hp-1', { hugepages: true }), vm('hp-2', { hugepages: true, hugepageSizeKiB: 1024 * 1024 }), vm('plain-1')]);
    expect(domainOf(json, 'kvm_a1_hp_1').memory_backing).toEqual({ memory_huge_pages: {} });
    expect(domainOf(json, 'kvm_a1_hp_2').memory_backing).toEqual({ memory_huge_pages: { hugepages: [{ size: 1048576, unit: 'KiB' }] } });
    expect(domainOf(json, 'kvm_a1_plain_1').memory_backing).toBeUndefined();
    expect(checkConformance(json)).toEqual([]);
  });

  it('gives network-heavy guests one virtio queue per vCPU', () => {
    const { json } = onHost('kvm', [vm('lb-1', { vcpus: 8, workload: 'network-heavy' })]);
    expect(domainOf(json, 'kvm_a1_lb_1').devices.interfaces[0].driver).toEqual({ queues: 8 });
  });

  it('attaches nat networks through the libvirt network defined on the same host', () => {
    const { json } = onHost('kvm', [vm('lab-1', { networks: [{ network: 'lab', mac: '52:54:00:00:00:01' }] })]);
    expect(domainOf(json, 'kvm_a1_lab_1').devices.interfaces[0]).toMatchObject({
      source: { network: { network: '${libvirt_network.kvm_a1_net_lab.name}' } },
      mac: { address: '52:54:00:00:00:01' },
    });
  });

  it('attaches a host-bridge-only network (libvirtNetwork: false) to the bridge and defines no libvirt network for it', () => {
    const bridged = vm('app-1', { networks: [{ network: 'lan' }] });
    const f = fleet({ vms: [bridged], networks: [{ name: 'lan', mode: 'bridge', bridge: 'br7', libvirtNetwork: false }] });
    const { json } = onHost('kvm', [bridged], f);
    expect(domainOf(json, 'kvm_a1_app_1').devices.interfaces[0].source).toEqual({ bridge: { bridge: 'br7' } });
    expect(resources(json, 'libvirt_network')).toEqual({});
    // The same network with a libvirt network (the default) is defined on the host, as before.
    const defined = onHost('kvm', [bridged], fleet({ vms: [bridged], networks: [{ name: 'lan', mode: 'bridge', bridge: 'br7' }] }));
    expect(Object.keys(resources(defined.json, 'libvirt_network'))).toEqual(['kvm_a1_net_lan']);
  });

  // Secure Boot as firmware features (libvirt formatdomain "BIOS bootloader", since 7.2.0): the provider drops
  // `loader_secure` without a loader path (v0.9.7 internal/generated/domain_os_convert.gen.go; found end to end).
  it('boots UEFI with Secure Boot (firmware features, SMM) for sensitive guests', () => {
    const { json } = onHost('kvm', [vm('vault-k', { firmware: 'uefi', securityClass: 'sensitive' })]);
    const domain = domainOf(json, 'kvm_a1_vault_k');
    expect(domain.os).toMatchObject({
      firmware: 'efi',
      // In libvirt's order: the provider reads the list back as libvirt reports it.
      firmware_info: { features: [{ name: 'enrolled-keys', enabled: 'yes' }, { name: 'secure-boot', enabled: 'yes' }] },
    });
    expect(domain.os.loader_secure).toBeUndefined();
    expect(domain.features.smm).toEqual({ state: 'on' });
  });

  it('renders graphics only when asked, listening on localhost, the password as its sensitive variable', () => {
    const graphics = { type: 'vnc' as const, listen: '127.0.0.1', password: new Secret('hunter2', 'env:VNC') };
    const { synth, json } = onHost('kvm', [vm('desk-1', { graphics })]);
    expect(domainOf(json, 'kvm_a1_desk_1').devices.graphics).toEqual([{ vnc: { auto_port: true, listen: '127.0.0.1', passwd: '${var.VNC}' } }]);
    const variable = (JSON.parse(synth) as { variable: Record<string, Record<string, unknown>> }).variable.VNC;
    expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(variable).not.toHaveProperty('default');
    expect(synth).not.toContain('hunter2');
  });

  it('renders the pool baseline CPU of a migration pool', () => {
    const v = vm('app-1', { migrationPool: 'pool-a' });
    const f = fleet({ vms: [v], migrationPools: [{ name: 'pool-a', hypervisor: 'kvm', hosts: ['kvm-a1'], cpuModel: 'EPYC-Rome', reserve: 'none' }] });
    expect(domainOf(onHost('kvm', [v], f).json, 'kvm_a1_app_1').cpu).toEqual({ mode: 'custom', model: 'EPYC-Rome' });
  });

  it('seeds cloud-init from a SATA CD-ROM with the SSH keys and password merged into the user data', () => {
    const v = vm('web-ci', {
      cloudInit: { userData: '#cloud-config\npackages: [nginx]\n', sshKeys: ['ssh-ed25519 AAAA ops'], password: new Secret('s3cret', 'env:PW') },
    });
    const { json } = onHost('kvm', [v]);
    const seed = resources(json, 'libvirt_cloudinit_disk').kvm_a1_web_ci_cloudinit!;
    // The password is its sensitive variable, as a JSON string literal (valid YAML) Terraform fills in.
    expect(seed.user_data).toBe('#cloud-config\npackages:\n  - nginx\nssh_authorized_keys:\n  - ssh-ed25519 AAAA ops\npassword: ${jsonencode(var.PW)}\nchpasswd:\n  expire: false\n');
    expect(seed.meta_data).toBe('instance-id: web-ci\nlocal-hostname: web-ci\n');
    expect(resources(json, 'libvirt_volume').kvm_a1_web_ci_cloudinit_volume).toMatchObject({
      create: { content: { url: '${libvirt_cloudinit_disk.kvm_a1_web_ci_cloudinit.path}' } },
    });
    const disks = domainOf(json, 'kvm_a1_web_ci').devices.disks;
    expect(disks[1]).toMatchObject({ device: 'cdrom', target: { dev: 'sda', bus: 'sata' } });
    expect(checkConformance(json)).toEqual([]);
  });

  it('rejects cloud-init user data that is not cloud-config when keys must be merged in', () => {
    const v = vm('bad-ci', { cloudInit: { userData: './cloud-init/web.yaml', sshKeys: ['ssh-ed25519 AAAA ops'] } });
    expect(() => onHost('kvm', [v])).toThrow(/vms\[bad-ci\]\.cloudInit\.userData: user data must be cloud-config to add sshKeys or a password, but its first line is not '#cloud-config'/);
  });

  it('rejects a VM resolved for the other hypervisor', () => {
    const v = vm('x');
    const f = fleet({ vms: [v] });
    expect(() =>
      Testing.synthScope((scope) => {
        const host = new KvmHost(scope, 'kvm-a1', { host: kvmHost('kvm-a1'), catalog: catalogOf(f) });
        new VirtualMachine(host, 'vm', { effective: resolved(f, v, xenHost('xen-s1')), host });
      }),
    ).toThrow(/vm 'x' was resolved for xen but host 'kvm-a1' is kvm; pass effectiveVm\(fleet, vm, host\.hypervisor\)/);
  });
});

describe('VirtualMachine on Xen', () => {
  it.each([
    ['pvh', { type: 'xenpvh', type_machine: 'xenpvh', kernel: '/usr/lib/grub-xen/grub-i386-xen_pvh.bin' }],
    ['hvm', { type: 'hvm', type_machine: 'xenfv' }],
    ['pv', { type: 'linux', type_machine: 'xenpv' }],
  ] as const)('sets os type and machine for %s guests', (guestType, os) => {
    const { json } = onHost('xen', [vm('g', { guestType, hypervisor: 'xen' })]);
    const domain = domainOf(json, 'xen_s1_g');
    expect(domain.type).toBe('xen');
    expect(domain.os).toMatchObject({ type_arch: 'x86_64', ...os });
    if (guestType === 'pv') expect(domain.bootloader).toBe('pygrub');
    if (guestType !== 'hvm') expect(domain.features).toBeUndefined();
    expect(checkConformance(json)).toEqual([]);
  });

  it('uses PV devices only: xen disk bus, netfront NICs, Xen console and balloon, no virtio anywhere', () => {
    const { synth, json } = onHost('xen', [vm('vault-1', { hypervisor: 'xen', guestType: 'pvh', cloudInit: { sshKeys: ['ssh-ed25519 AAAA ops'] } })]);
    const domain = domainOf(json, 'xen_s1_vault_1');
    expect(domain.devices.disks[0]).toMatchObject({ target: { dev: 'xvda', bus: 'xen' }, driver: { name: 'qemu', type: 'qcow2' } });
    // The raw seed leaves the backend to libxl.
    expect(domain.devices.disks[1].driver).toEqual({ type: 'raw' });
    // The seed is a read-only PV disk: PVH guests have no emulated CD-ROM.
    expect(domain.devices.disks[1]).toMatchObject({ device: 'disk', read_only: true, target: { dev: 'xvdb', bus: 'xen' } });
    expect(domain.devices.interfaces[0].model).toEqual({ type: 'netfront' });
    expect(domain.devices.consoles).toEqual([{ source: { pty: { path: '' } }, target: { type: 'xen', port: 0 } }]);
    expect(domain.devices.mem_balloon).toEqual({ model: 'xen' });
    expect(domain.devices.rngs).toBeUndefined();
    expect(JSON.stringify(resources(json, 'libvirt_domain'))).not.toContain('virtio');
    expect(synth).toHaveResourceWithProperties(Volume, { name: 'vault-1-disk0.qcow2' });
    expect(json.resource).toMatchSnapshot();
  });

  // libvirt src/libxl/libxl_conf.c, libxlMakeDisk: "If driverName is not specified, default to raw" (format RAW, backend left to
  // libxl); with driver name 'qemu' a qcow2 file gets LIBXL_DISK_FORMAT_QCOW2 on the qdisk backend. So every non-raw file names
  // qemu. A raw volume is read as raw either way; without a name libxl picks the backend (phy for block devices, qdisk for
  // files), which is what an operator writes by hand, so raw disks stay driver-less.
  it('names the qemu driver for every qcow2 disk and leaves raw disks to libxl', () => {
    const disks = [
      { sizeMiB: 20 * 1024, pool: 'images', image: '/var/lib/libvirt/images/debian-12.qcow2', data: false },
      { sizeMiB: 50 * 1024, pool: 'images', format: 'raw' as const, data: true },
      { sizeMiB: 50 * 1024, pool: 'images', data: true },
    ];
    for (const guestType of ['hvm', 'pvh'] as const) {
      const { json } = onHost('xen', [vm('d', { hypervisor: 'xen', guestType, disks })]);
      const drivers = domainOf(json, 'xen_s1_d').devices.disks.map((d: { driver: unknown }) => d.driver);
      expect(drivers).toEqual([{ name: 'qemu', type: 'qcow2' }, { type: 'raw' }, { name: 'qemu', type: 'qcow2' }]);
      expect(checkConformance(json)).toEqual([]);
    }
  });

  // libxl_conf.c, libxlMakeNic: no model on an HVM guest is LIBXL_NIC_TYPE_VIF_IOEMU ("a PV and emulated NIC, allowing the domain
  // to choose which NIC to use and unplug the unused one"); model netfront is LIBXL_NIC_TYPE_VIF, PV only; PV(H) accept netfront only.
  it('gives HVM NICs no model (emulated + PV), PV and PVH NICs netfront, and keeps a model the fleet names', () => {
    const { json } = onHost('xen', [
      vm('h', { hypervisor: 'xen', guestType: 'hvm' }),
      vm('p', { hypervisor: 'xen', guestType: 'pvh' }),
      vm('n', { hypervisor: 'xen', guestType: 'hvm', networks: [{ network: 'prod', model: 'netfront' }] }),
    ]);
    expect(domainOf(json, 'xen_s1_h').devices.interfaces[0]).toEqual({ source: { bridge: { bridge: 'br0' } } });
    expect(domainOf(json, 'xen_s1_p').devices.interfaces[0].model).toEqual({ type: 'netfront' });
    expect(domainOf(json, 'xen_s1_n').devices.interfaces[0].model).toEqual({ type: 'netfront' });
    expect(checkConformance(json)).toEqual([]);
  });

  // xl.cfg(5): viridian "base" is "strongly recommended" for Windows Vista / Server 2008 onwards; localtime defaults to UTC.
  // libvirt libxl_conf.c maps clock offset 'localtime' to b_info->localtime and rejects rtc/pit/hypervclock timers.
  it('gives Windows HVM guests viridian and a localtime clock, and makes an undeclared Windows guest HVM', () => {
    const { json } = onHost('xen', [vm('win', { hypervisor: 'xen', os: 'windows' })]);
    const domain = domainOf(json, 'xen_s1_win');
    expect(domain.os).toMatchObject({ type: 'hvm', type_machine: 'xenfv' });
    expect(domain.features).toEqual({ acpi: true, apic: {}, viridian: true });
    expect(domain.clock).toEqual({ offset: 'localtime' });
    expect(domainOf(onHost('xen', [vm('lin', { hypervisor: 'xen', guestType: 'hvm', os: 'linux' })]).json, 'xen_s1_lin').clock).toBeUndefined();
    expect(checkConformance(json)).toEqual([]);
  });

  // xen/common/sched/core.c (sched_init_vcpu): with dom0_vcpus_pin "dom0 vCPUs are pinned 1:1 to their respective pCPUs", i.e.
  // 0..n-1; xl.cfg(5) cpus=: a guest without it runs on every CPU. libvirt's libxl driver builds the hard affinity from per-vCPU
  // pins (libxl_conf.c, libxlSetVcpuAffinities), so each vCPU gets a vcpupin besides the domain's vcpu cpuset.
  it('keeps guest vCPUs off the CPUs of a pinned Dom0', () => {
    const { json } = onHost('xen', [vm('g', { hypervisor: 'xen', guestType: 'pvh', vcpus: 3 })]);
    const domain = domainOf(json, 'xen_s1_g');
    expect(domain.vcpu_cpuset).toBe('4-31');
    expect(domain.cpu_tune).toEqual({ vcpu_pin: [0, 1, 2].map((vcpu) => ({ vcpu, cpu_set: '4-31' })) });
    expect(checkConformance(json)).toEqual([]);
  });

  it('leaves guest vCPUs unpinned when Dom0 is not pinned', () => {
    const f = fleet();
    const v = vm('g', { hypervisor: 'xen', guestType: 'pvh' });
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const host = new XenHost(scope, 'xen-s1', { host: xenHost('xen-s1', { dom0: { memoryMiB: 8192, vcpus: 4, pin: false } }), catalog: catalogOf(f) });
        new VirtualMachine(host, 'vm', { effective: resolved(f, v, host.host), host });
      }),
    ) as TerraformJson;
    const domain = domainOf(json, 'xen_s1_g');
    expect(domain.vcpu_cpuset).toBeUndefined();
    expect(domain.cpu_tune).toBeUndefined();
  });
});

// libvirt formatdomain "Hypervisor features" (hyperv) and "Time keeping" (hypervclock); the usual Windows clock (as virt-install writes it): rtc catchup,
// pit delay, no hpet. spinlocks/stimer/tlbflush need a state the provider cannot set: KVM-WINDOWS-HYPERV-PARTIAL reports them.
describe('VirtualMachine for Windows on KVM', () => {
  it('renders the Hyper-V enlightenments the provider can express and the Windows clock', () => {
    const { json } = onHost('kvm', [vm('win', { os: 'windows' })]);
    const domain = domainOf(json, 'kvm_a1_win');
    const on = { state: 'on' };
    expect(domain.features.hyper_v).toEqual({
      mode: 'custom', relaxed: on, vapic: on, vp_index: on, runtime: on, synic: on, reset: on, frequencies: on, ipi: on,
    });
    expect(domain.features.viridian).toBeUndefined();
    expect(domain.clock).toEqual({
      offset: 'localtime',
      timer: [
        { name: 'rtc', tick_policy: 'catchup' },
        { name: 'pit', tick_policy: 'delay' },
        { name: 'hpet', present: 'no' },
        { name: 'hypervclock', present: 'yes' },
      ],
    });
    expect(checkConformance(json)).toEqual([]);
  });

  it('renders no enlightenments for other guests', () => {
    const domain = domainOf(onHost('kvm', [vm('lin', { os: 'linux' })]).json, 'kvm_a1_lin');
    expect(domain.features.hyper_v).toBeUndefined();
    expect(domain.clock).toBeUndefined();
  });
});
