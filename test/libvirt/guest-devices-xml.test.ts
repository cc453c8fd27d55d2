// Issue #15 item 3: what an existing libvirt domain has — architecture, CD-ROMs, network disks, existing
// volumes and host paths, user/ethernet/direct NICs, currentMemory, exact KiB sizes — reaches the
// synthesized Terraform (provider 0.9.7 attributes) and the libvirt XML preview, which real libvirt accepts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformId } from '../../constructs/terraform-id';
import { filesToCheck, renderStack, type RenderedStack, type SynthesizedStack } from '../../libvirt/render-stack';
import { validateXmlFiles, type XmlFileToCheck } from '../../libvirt/validate';
import { checkConformance } from '../../schema/conformance';
import { synthesizeFleet } from '../../pipeline/synth';
import { SKIP_TOOLS } from './tools';

const FLEET = join(__dirname, '../fixtures/fleet/guest-devices.yaml');
const work = mkdtempSync(join(tmpdir(), 'hyperplan-guest-devices-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Body = Record<string, any>;
const stacks: { name: string; json: SynthesizedStack; rendered: RenderedStack }[] = [];

beforeAll(async () => {
  const out = join(work, 'synth');
  const synth = await synthesizeFleet({ fleetFile: FLEET, outDir: out });
  for (const stack of synth.stacks) {
    const hosts = new Map(stack.hosts.map((h) => [terraformId(h), h]));
    const json = JSON.parse(readFileSync(join(out, stack.file), 'utf8')) as SynthesizedStack;
    stacks.push({ name: stack.name, json, rendered: renderStack(json, { hostOfAlias: (a) => hosts.get(a) ?? a }) });
  }
}, 120_000);

function resourcesOf(type: string): Body[] {
  return stacks.flatMap((s) => Object.values(((s.json as Body).resource?.[type] ?? {}) as Record<string, Body>));
}
const domain = (name: string): Body => resourcesOf('libvirt_domain').find((d) => d.name === name)!;
function xmlOf(name: string): string {
  for (const s of stacks) {
    const file = s.rendered.files.find((f) => f.path.endsWith(`domains/${name}.xml`));
    if (file) return file.xml;
  }
  throw new Error(`no XML for ${name}`);
}

describe('synthesized Terraform (dmacvicar/libvirt 0.9.7)', () => {
  it('conforms to the provider schema', () => {
    for (const s of stacks) expect(checkConformance(s.json as Parameters<typeof checkConformance>[0])).toEqual([]);
  });

  // schema/libvirt-0.9.7.json, libvirt_domain: current_memory + current_memory_unit, memory_unit, os.type_arch.
  it('keeps the architecture, currentMemory and a memory size that is not whole MiB', () => {
    const legacy = domain('legacy-32');
    expect(legacy).toMatchObject({ memory: 1048577, memory_unit: 'KiB', current_memory: 512, current_memory_unit: 'MiB' });
    expect(legacy.os).toMatchObject({ type: 'hvm', type_arch: 'i686', type_machine: 'pc' });
    expect(domain('ceph-arm').os).toMatchObject({ type_arch: 'aarch64', type_machine: 'virt' });
    expect(domain('ceph-arm')).toMatchObject({ memory: 2048, memory_unit: 'MiB' });
    expect(domain('ceph-arm')).not.toHaveProperty('current_memory');
  });

  it('creates a volume only for the disk hyperplan owns, with its exact size', () => {
    // legacy-32: an existing volume, a CD-ROM, one created data disk; ceph-arm: network disks and an empty
    // CD-ROM; xen-hvm: a host block device and an ISO volume. One volume in all.
    const volumes = resourcesOf('libvirt_volume');
    expect(volumes.map((v) => [v.name, v.capacity])).toEqual([['legacy-32-disk2.qcow2', 1048577 * 1024]]);
  });

  it('references what exists: the pool volume by name, host files and devices by path, network disks by server', () => {
    const disks = domain('legacy-32').devices.disks as Body[];
    // The existing volume is named in the pool the stack defines on the host (provider: source.volume { pool, volume }).
    expect(disks[0]!.source).toEqual({ volume: { pool: '${libvirt_pool.kvm_x86_pool_images.name}', volume: 'legacy-32.qcow2' } });
    expect(disks[1]).toMatchObject({ device: 'cdrom', source: { file: { file: '/var/lib/libvirt/isos/debian-12-i386.iso' } }, target: { bus: 'ide', dev: 'hda' } });
    const ceph = domain('ceph-arm').devices.disks as Body[];
    expect(ceph[0]!.source).toEqual({
      network: {
        protocol: 'rbd',
        name: 'vms/ceph-arm',
        // The provider types the port as a string.
        hosts: [{ name: 'mon1', port: '6789' }, { name: 'mon2' }],
        auth: { username: 'libvirt', secret: { type: 'ceph', usage: 'client.libvirt secret' } },
      },
    });
    expect(ceph[3]).toEqual({ device: 'cdrom', target: { dev: 'sda', bus: 'scsi' }, driver: { name: 'qemu', type: 'raw' } });
    const xen = domain('xen-hvm').devices.disks as Body[];
    expect(xen[0]!.source).toEqual({ block: { dev: '/dev/vg0/xen-hvm' } });
    expect(xen[1]).toMatchObject({ device: 'cdrom', source: { volume: { pool: '${libvirt_pool.xen_1_pool_isos.name}', volume: 'tools.iso' } }, target: { bus: 'ide', dev: 'hda' } });
  });

  it('renders user, ethernet and direct NICs as the provider spells them', () => {
    const nics = domain('legacy-32').devices.interfaces as Body[];
    expect(nics.map((n) => n.source)).toEqual([
      { network: { network: '${libvirt_network.kvm_x86_net_lab.name}' } },
      { user: {} },
      { ethernet: {} },
      { direct: { dev: 'eth0', mode: 'bridge' } },
    ]);
    expect(nics[2]!.target).toEqual({ dev: 'tap7' });
  });
});

describe('libvirt XML preview', () => {
  it('writes what the provider marshals (libvirtxml v1.11007.0)', () => {
    const legacy = xmlOf('legacy-32');
    expect(legacy).toContain("<memory unit='KiB'>1048577</memory>");
    expect(legacy).toContain("<currentMemory unit='MiB'>512</currentMemory>");
    expect(legacy).toContain("<type arch='i686' machine='pc'>hvm</type>");
    // libvirtxml DomainInterfaceSource.MarshalXML writes no <source> for type user, nor for an ethernet NIC
    // without addresses.
    expect(legacy).toMatch(/<interface type='user'>\n\s+<model type='virtio'\/>/);
    expect(legacy).toMatch(/<interface type='ethernet'>\n\s+<target dev='tap7'\/>/);
    expect(legacy).toContain("<source dev='eth0' mode='bridge'/>");
    const ceph = xmlOf('ceph-arm');
    expect(ceph).toContain("<source protocol='rbd' name='vms/ceph-arm'>");
    expect(ceph).toContain("<secret type='ceph' usage='client.libvirt secret'/>");
    // QEMU's network block drivers take no aio= (io) setting.
    expect(ceph).not.toMatch(/io='native'/);
    // A host path under /dev is a block device (libvirt <disk type='block'>), any other a file.
    expect(xmlOf('xen-hvm')).toContain("<disk type='block'>");
  });

  it.skipIf(SKIP_TOOLS)('passes the RelaxNG schema and the libvirt parser (and the QEMU driver where its emulator is installed)', async () => {
    const files: XmlFileToCheck[] = [];
    for (const s of stacks) {
      const dir = join(work, 'xml', s.name);
      for (const f of s.rendered.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.xml);
      }
      files.push(...filesToCheck(s.rendered, dir));
    }
    const { results } = await validateXmlFiles(files);
    expect(files.filter((f) => f.kind === 'domain')).toHaveLength(3);
    // The embedded QEMU driver needs qemu-system-<arch>; without qemu-system-aarch64 it cannot build the
    // aarch64 guest's command line ("No emulator found for arch 'aarch64'"), which says nothing about the XML.
    const foreignArch = (r: (typeof results)[number]): boolean => r.check === 'qemu-argv' && r.file.endsWith('ceph-arm.xml') && /No emulator found for arch 'aarch64'/.test(r.message);
    expect(results.filter((r) => !r.ok && !foreignArch(r)).map((r) => `${r.file}: ${r.check}: ${r.message}`)).toEqual([]);
    const checked = (file: string) => results.filter((r) => r.file.endsWith(file) && r.ok).map((r) => r.check);
    expect(checked('ceph-arm.xml')).toEqual(expect.arrayContaining(['schema', 'parser']));
    expect(checked('legacy-32.xml')).toEqual(expect.arrayContaining(['schema', 'parser', 'qemu-argv']));
  }, 120_000);
});
