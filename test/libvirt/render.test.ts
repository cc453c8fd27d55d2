import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libvirtResources, renderStack, type SynthesizedStack } from '../../libvirt/render-stack';
import { renderResource, unmappedPaths } from '../../libvirt/render-resource';
import { synthesizeFleet } from '../../pipeline/synth';

const FIXTURE = join(__dirname, '../fixtures/libvirt/synth/cdk.tf.json');
const fixture = (): SynthesizedStack => JSON.parse(readFileSync(FIXTURE, 'utf8')) as SynthesizedStack;

describe('renderResource', () => {
  it('follows the provider mapping rules: text elements, value+unit, presence, union branches, lists', () => {
    const xml = renderResource('libvirt_domain', {
      name: 'a', type: 'kvm', memory: 512, memory_unit: 'MiB', vcpu: { value: 4, placement: 'static', cpuset: '0-3', current: 2 },
      os: { type: 'hvm', type_arch: 'x86_64', type_machine: 'q35', loader: '/usr/share/OVMF/OVMF_CODE.fd', loader_readonly: 'yes', loader_type: 'pflash' },
      features: { acpi: true, pae: false },
      devices: {
        disks: [{ source: { file: { file: '/x.qcow2' } }, target: { dev: 'vda', bus: 'virtio' }, read_only: true }],
        interfaces: [{ source: { network: { network: 'default' } }, model: { type: 'virtio' } }],
        mem_balloon: { model: 'virtio' },
      },
      running: true,
    });
    expect(xml).toContain("<memory unit='MiB'>512</memory>");
    expect(xml).toContain("<vcpu placement='static' cpuset='0-3' current='2'>4</vcpu>");
    expect(xml).toContain("<type arch='x86_64' machine='q35'>hvm</type>");
    expect(xml).toContain("<loader type='pflash' readonly='yes'>/usr/share/OVMF/OVMF_CODE.fd</loader>");
    expect(xml).toContain('<acpi/>');
    expect(xml).not.toContain('<pae/>');
    expect(xml).toContain("<disk type='file'>");
    expect(xml).toContain("<source file='/x.qcow2'/>");
    expect(xml).toContain('<readonly/>');
    expect(xml).toContain("<interface type='network'>");
    expect(xml).toContain("<memballoon model='virtio'/>");
    expect(xml).not.toContain('running');
  });

  it('renders NUMA tuning and sized hugepages as libvirt spells them', () => {
    // libvirt formatdomain "NUMA Node Tuning" (<numatune><memory mode nodeset placement/><memnode cellid mode
    // nodeset/>) and "Memory Backing" (<hugepages><page size unit nodeset/></hugepages>); the provider maps
    // numa_tune and memory_backing.memory_huge_pages onto them (libvirtxml DomainNUMATune, DomainMemoryHugepages).
    const xml = renderResource('libvirt_domain', {
      name: 'a', type: 'kvm', memory: 512, memory_unit: 'MiB', vcpu: 4, vcpu_placement: 'auto',
      memory_backing: { memory_huge_pages: { hugepages: [{ size: 2048, unit: 'KiB' }] } },
      numa_tune: { memory: { mode: 'strict', placement: 'auto' }, mem_nodes: [{ cell_id: 0, mode: 'preferred', nodeset: '1' }] },
    });
    expect(xml).toContain("<vcpu placement='auto'>4</vcpu>");
    expect(xml).toContain("<memoryBacking>\n    <hugepages>\n      <page size='2048' unit='KiB'/>\n    </hugepages>\n  </memoryBacking>");
    expect(xml).toContain("<numatune>\n    <memory mode='strict' placement='auto'/>\n    <memnode cellid='0' mode='preferred' nodeset='1'/>\n  </numatune>");
    expect(unmappedPaths('libvirt_domain', { numa_tune: { memory: { mode: 'strict' } } })).toEqual([]);
  });

  // Found end to end (test/e2e): the provider's generated converter writes <loader>'s attributes only with
  // a loader path (provider v0.9.7 internal/generated/domain_os_convert.gen.go), so `loader_secure` alone
  // never reached libvirt; Secure Boot goes through firmware autoselection's features instead (libvirt
  // formatdomain "BIOS bootloader": <firmware><feature enabled='yes' name='secure-boot'/>).
  it('renders loader attributes only with a loader path, as the provider sends them, and firmware features', () => {
    const xml = renderResource('libvirt_domain', {
      name: 'a', type: 'kvm', memory: 512, vcpu: 1,
      os: { type: 'hvm', firmware: 'efi', loader_secure: 'yes', firmware_info: { features: [{ name: 'secure-boot', enabled: 'yes' }] } },
    });
    expect(xml).not.toContain('<loader');
    expect(xml).toContain("<firmware>\n      <feature enabled='yes' name='secure-boot'/>\n    </firmware>");
  });

  // Found end to end: libvirt keeps no <format> for a volume of a logical pool (an LV is raw; docs/storage.rst).
  it('renders no volume format in a logical pool, and keeps it in a directory pool', () => {
    const stack: SynthesizedStack = {
      resource: {
        libvirt_pool: { vg: { name: 'vg', type: 'logical', source: { name: 'vg0' } }, dir: { name: 'dir', type: 'dir', target: { path: '/var/lib/libvirt/images' } } },
        libvirt_volume: {
          lv: { name: 'lv', pool: '${libvirt_pool.vg.name}', capacity: 1024, target: { format: { type: 'raw' } } },
          file: { name: 'file.qcow2', pool: '${libvirt_pool.dir.name}', capacity: 1024, target: { format: { type: 'qcow2' } } },
        },
      },
    };
    const volumes = renderStack(stack).files.filter((f) => f.kind === 'volume');
    expect(volumes.find((f) => f.name === 'lv')?.xml).not.toContain('<format');
    expect(volumes.find((f) => f.name === 'file.qcow2')?.xml).toContain("<format type='qcow2'/>");
  });

  it('is deterministic whatever the key order of the input', () => {
    const a = renderResource('libvirt_volume', { name: 'v', capacity: 1, capacity_unit: 'GiB', target: { format: { type: 'qcow2' } } });
    const b = renderResource('libvirt_volume', { target: { format: { type: 'qcow2' } }, capacity_unit: 'GiB', capacity: 1, name: 'v' });
    expect(a).toBe(b);
    expect(a).toBe("<volume>\n  <name>v</name>\n  <capacity unit='GiB'>1</capacity>\n  <target>\n    <format type='qcow2'/>\n  </target>\n</volume>\n");
  });

  // libvirt docs/formatstorage.rst (source elements) and storage.rst ("Example iSCSI direct pool input"):
  // <host name= port=/>, <device path=/> and <initiator><iqn name=/></initiator>.
  it('renders an iSCSI pool source: portal host and port, target IQN, initiator IQN', () => {
    const xml = renderResource('libvirt_pool', {
      name: 'san', type: 'iscsi',
      source: { host: [{ name: 'san1', port: '3260' }], device: [{ path: 'iqn.2024-01.com.example:vms' }], initiator: { iqn: { name: 'iqn.2024-01.com.example:h1' } } },
      target: { path: '/dev/disk/by-path' },
    });
    expect(xml).toContain("<host name='san1' port='3260'/>");
    expect(xml).toContain("<device path='iqn.2024-01.com.example:vms'/>");
    expect(xml).toContain("<initiator>\n      <iqn name='iqn.2024-01.com.example:h1'/>\n    </initiator>");
  });

  it('reports attribute paths the table does not map', () => {
    expect(unmappedPaths('libvirt_domain', { name: 'a', devices: { disks: [{ target: { dev: 'vda', bogus: 1 } }] }, sysinfo: {} }))
      .toEqual(['devices.disks[].target.bogus', 'sysinfo']);
  });
});

describe('renderStack', () => {
  it('resolves references and groups files by host', () => {
    const { files, problems } = renderStack(fixture(), { hostOfAlias: (alias) => alias.replace(/_/g, '-') });
    expect(problems).toEqual([]);
    expect(files.map((f) => f.path)).toContain('kvm-a1/domains/web-1.xml');
    const overlay = files.find((f) => f.name === 'web-1-disk0.qcow2')!;
    expect(overlay.xml).toContain('<path>/var/lib/libvirt/images/debian-12.qcow2</path>');
    const domain = files.find((f) => f.path === 'kvm-a1/domains/web-1.xml')!;
    expect(domain.xml).toContain("<source pool='nfs-images' volume='web-1-disk1.qcow2'/>");
    expect(domain.xml).toContain("<source network='lab'/>");
    expect(files.find((f) => f.name === 'web-1-disk1.qcow2')!.poolPath).toBe('/var/lib/libvirt/nfs');
    expect(renderStack(fixture())).toEqual(renderStack(fixture()));
  });

  it('maps every attribute of the fixture stack', () => {
    for (const r of libvirtResources(fixture())) expect(unmappedPaths(r.type, r.body), r.address).toEqual([]);
  });
});

describe('coverage of the example fleets', () => {
  it('maps every attribute path the constructs emit for examples/{kvm,xen,hybrid}', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hyperplan-render-'));
    try {
      const unmapped: string[] = [];
      let resources = 0;
      for (const example of ['kvm', 'xen', 'hybrid']) {
        const summary = await synthesizeFleet({ fleetFile: join(__dirname, `../../examples/${example}/fleet.yaml`), outDir: join(out, example) });
        for (const stack of summary.stacks) {
          const json = JSON.parse(readFileSync(join(out, example, stack.file), 'utf8')) as SynthesizedStack;
          for (const r of libvirtResources(json)) {
            resources += 1;
            for (const path of unmappedPaths(r.type, r.body)) unmapped.push(`${example}: ${r.address}: ${path}`);
          }
        }
      }
      expect(resources).toBeGreaterThan(0);
      expect(unmapped).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
