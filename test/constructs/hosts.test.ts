import { describe, expect, it } from 'vitest';
import { Testing } from '../../constructs/cdk-engine';
import { KvmHost, kvmHostPreparation } from '../../constructs/kvm-host';
import { DataLibvirtNodeInfo, LibvirtProvider } from '../../constructs/libvirt-bindings';
import { XenHost, guestCpuset, xenBootLine, xenHostPreparation } from '../../constructs/xen-host';
import { dom0Sizing, hostCapacity, kvmGuestOverheadMiB } from '../../planner/capacity';
import { plan } from '../../planner/plan';
import { fleet as plannerFleet, vm as plannerVm } from '../planner/fixtures';
import { checkConformance } from '../../schema/conformance';
import { kvmHost, synthJson, xenHost } from './fixtures';

describe('KvmHost', () => {
  it('gives each host its own provider alias and URI, and a node-info data source on it', () => {
    const synth = Testing.synthScope((scope) => {
      new KvmHost(scope, 'kvm-a1', { host: kvmHost('kvm-a1') });
      new KvmHost(scope, 'kvm-a2', { host: kvmHost('kvm-a2') });
    });
    expect(synth).toHaveProviderWithProperties(LibvirtProvider, { alias: 'kvm_a1', uri: 'qemu+ssh://root@kvm-a1/system' });
    expect(synth).toHaveProviderWithProperties(LibvirtProvider, { alias: 'kvm_a2', uri: 'qemu+ssh://root@kvm-a2/system' });
    expect(synth).toHaveDataSourceWithProperties(DataLibvirtNodeInfo, { provider: 'libvirt.kvm_a1' });
    expect(checkConformance(JSON.parse(synth))).toEqual([]);
  });

  it('compares the declared size with the real host at plan time and reports usable capacity', () => {
    const host = kvmHost('kvm-a1');
    const json = synthJson((scope) => new KvmHost(scope, 'kvm-a1', { host }));
    expect(json.output?.kvm_a1_declared_vs_actual?.value).toEqual({
      declared_cpus: 64,
      actual_cpus: '${data.libvirt_node_info.kvm_a1_node_info.cpu_cores_total}',
      declared_memory_kib: 512 * 1024 * 1024,
      actual_memory_kib: '${data.libvirt_node_info.kvm_a1_node_info.memory_total_kb}',
    });
    const capacity = hostCapacity(host);
    expect(json.output?.kvm_a1_usable_capacity?.value).toEqual({
      cpu: capacity.cpu, memory_mib: capacity.memoryMiB, reserved_cpu: capacity.reservedCpu, reserved_memory_mib: capacity.reservedMemoryMiB,
    });
  });

  it('prepares hugepages, the host reservation and KSM in the host preparation output', () => {
    const host = kvmHost('kvm-a1', { hugepages: { sizeKiB: 2048, count: 1024 }, ksm: false });
    const json = synthJson((scope) => new KvmHost(scope, 'kvm-a1', { host }));
    const script = json.output?.kvm_a1_host_preparation?.value as string;
    expect(script).toBe(kvmHostPreparation(host, hostCapacity(host)));
    expect(script).toContain('sysctl -w vm.nr_hugepages=1024');
    expect(script).toContain('systemctl set-property machine.slice AllowedCPUs=2-63 MemoryMax=516096M');
    expect(script).toContain('echo 0 > /sys/kernel/mm/ksm/run');
    expect(json.output?.kvm_a1_hugepages?.value).toEqual({ size_kib: 2048, count: 1024 });
    expect(script).toMatchSnapshot();
  });

  it('leaves room in machine.slice for each QEMU process beyond its guest RAM', () => {
    // A QEMU process takes memory beyond guest RAM (oVirt VmOverheadCalculatorImpl.java: 64 MiB + RAM/512 +
    // 8 MiB per vCPU; libvirt formatdomain memtune: that overhead "is hard to determine"). A host the planner
    // fills must keep guests plus their QEMU processes under the slice's MemoryMax, or the kernel OOM-kills guests.
    const host = kvmHost('kvm-a1', { cpus: 64, memoryMiB: 64 * 1024, reserved: { cpus: 2, memoryMiB: 4096 }, overcommit: { cpu: 4, memory: 1 } });
    const script = kvmHostPreparation(host, hostCapacity(host));
    const memoryMax = Number(/MemoryMax=(\d+)M/.exec(script)![1]);
    expect(memoryMax).toBe(60 * 1024);
    const vms = Array.from({ length: 20 }, (_, i) => plannerVm(`v${i}`, { hypervisor: 'kvm', vcpus: 2, memoryMiB: 4096 }));
    const placed = Object.keys(plan(plannerFleet({ hosts: [host], vms })).placements).length;
    // 15 guests of 4 GiB would fill the slice with guest RAM alone; 14 leave room for their QEMU processes.
    expect(placed).toBe(14);
    expect(placed * (4096 + kvmGuestOverheadMiB(2, 4096))).toBeLessThanOrEqual(memoryMax);
    expect(script).toContain('QEMU process');
  });

  it('rejects a host without a URI, naming the host and the fix', () => {
    expect(() => Testing.synthScope((scope) => new KvmHost(scope, 'h', { host: kvmHost('kvm-a1', { uri: '' }) }))).toThrow(
      /host 'kvm-a1' has no uri; set uri \(e\.g\. qemu\+ssh:\/\/root@kvm-a1\/system/,
    );
  });
});

describe('XenHost', () => {
  it('emits the Dom0 boot line, xl.conf and host preparation from dom0Sizing', () => {
    const host = xenHost('xen-s1');
    const json = synthJson((scope) => new XenHost(scope, 'xen-s1', { host }));
    expect(json.output?.xen_s1_xen_boot_line?.value).toBe('dom0_mem=8192M,max:8192M dom0_max_vcpus=4 dom0_vcpus_pin');
    expect(json.output?.xen_s1_xl_conf?.value).toBe('autoballoon="off"');
    // libvirt src/libxl/libxl.conf: libvirt's libxl driver reads its own autoballoon ("#autoballoon = 1"), not xl.conf's.
    expect(json.output?.xen_s1_libxl_conf?.value).toBe('autoballoon = 0');
    const script = json.output?.xen_s1_host_preparation?.value as string;
    expect(script).toContain(xenBootLine(dom0Sizing(host)));
    expect(script).toContain("echo 'autoballoon=\"off\"' >> /etc/xen/xl.conf");
    expect(script).toContain("echo 'autoballoon = 0' >> /etc/libvirt/libxl.conf");
    expect(script).toContain('update-grub');
    expect(script).toMatchSnapshot();
    expect(json.provider?.libvirt).toEqual([{ alias: 'xen_s1', uri: 'xen+ssh://root@xen-s1/system' }]);
  });

  it('derives Dom0 when the fleet declares none, and leaves out pinning', () => {
    const host = xenHost('xen-s2', { dom0: undefined });
    const json = synthJson((scope) => new XenHost(scope, 'xen-s2', { host }));
    const dom0 = dom0Sizing(host);
    expect(dom0.pin).toBe(false);
    expect(json.output?.xen_s2_xen_boot_line?.value).toBe(`dom0_mem=${dom0.memoryMiB}M,max:${dom0.memoryMiB}M dom0_max_vcpus=${dom0.vcpus}`);
  });

  // XenServer docs (docs.xenserver.com, "Memory usage"): `/opt/xensource/libexec/xen-cmdline --set-xen dom0_mem=<nn>M,max:<nn>M`,
  // then reboot; XCP-ng's docs use the same tool (`--set-xen "extra_guest_irqs=128"`). Neither has update-grub.
  it.each(['xcp-ng', 'xenserver'] as const)('writes the boot line with xen-cmdline on %s', (distro) => {
    const script = xenHostPreparation(xenHost('x', { distro }), dom0Sizing(xenHost('x')));
    expect(script).toContain('/opt/xensource/libexec/xen-cmdline --set-xen dom0_mem=8192M,max:8192M\n');
    expect(script).toContain('/opt/xensource/libexec/xen-cmdline --set-xen dom0_max_vcpus=4\n');
    expect(script).toContain('/opt/xensource/libexec/xen-cmdline --set-xen dom0_vcpus_pin=1\n');
    expect(script).not.toContain('grub');
    expect(script).toContain('/etc/libvirt/libxl.conf');
  });

  it.each(['debian', 'ubuntu', undefined] as const)('writes GRUB_CMDLINE_XEN_DEFAULT and runs update-grub on %s', (distro) => {
    const script = xenHostPreparation(xenHost('x', distro ? { distro } : {}), dom0Sizing(xenHost('x')));
    expect(script).toContain('GRUB_CMDLINE_XEN_DEFAULT="$GRUB_CMDLINE_XEN_DEFAULT dom0_mem=8192M,max:8192M dom0_max_vcpus=4 dom0_vcpus_pin"');
    expect(script).toContain('\nupdate-grub\n');
    expect(script).not.toContain('xen-cmdline');
  });

  // Dom0's vCPUs sit on pCPUs 0..n-1 when pinned (xen/common/sched/core.c); guests get the rest.
  it('gives guests the CPUs a pinned Dom0 does not hold', () => {
    const sized = (h: ReturnType<typeof xenHost>) => guestCpuset(h, dom0Sizing(h));
    expect(sized(xenHost('x'))).toBe('4-31');
    expect(sized(xenHost('x', { cpus: 5 }))).toBe('4');
    expect(sized(xenHost('x', { dom0: { memoryMiB: 8192, vcpus: 4, pin: false } }))).toBeUndefined();
    expect(sized(xenHost('x', { cpus: 4 }))).toBeUndefined();
  });
});
