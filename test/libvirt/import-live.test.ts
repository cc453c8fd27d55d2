/**
 * `hyperplan import --from <URI>` against libvirt's test driver: a node file per host (the test driver's
 * custom-node format, libvirt docs "drvtest.html" / src/test/test_driver.c testOpenFromFile: <node> with
 * <cpu>, <memory>, <domain>, <network> and <pool> holding <volume>s) with five domains on a KVM and a Xen
 * host: existing volumes in pools, a CD-ROM, an rbd network disk with a Ceph secret reference, an i686
 * guest, exact-KiB sizes, a user-mode NIC and a host bridge. The import is synthesized with --adopt and
 * every domain rendered back to XML is compared with what libvirt reports on every element hyperplan models.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { terraformId } from '../../constructs/terraform-id';
import { fleetFileSchema } from '../../fleet/schema';
import { readLiveHost, parseVolumeList, parseNodeInfo } from '../../libvirt/live-host';
import { renderStack, type SynthesizedStack } from '../../libvirt/render-stack';
import { modeledElements, withLibvirtDefaults, type ModeledDomain } from '../../libvirt/round-trip';
import { parseLock } from '../../planner/lock';
import { synthesizeFleet } from '../../pipeline/synth';
import { cli as runCli, type CliResult } from '../support/cli';
import { IN_CI, TOOLS } from './tools';

const NODES = join(__dirname, '../fixtures/libvirt-nodes');
const SKIP = !TOOLS.virsh && !IN_CI;
const work = mkdtempSync(join(tmpdir(), 'hyperplan-import-live-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (argv: string[]): Promise<CliResult> => runCli(argv, { cwd: work });

/** The elements hyperplan models, from a domain's XML, with libvirt's defaults filled in (libvirt/round-trip.ts). */
const modeled = (xml: string): ModeledDomain => withLibvirtDefaults(modeledElements(xml));

describe('live-host parsing', () => {
  it('reads nodeinfo labels and vol-list tables (names with spaces too)', () => {
    const info = parseNodeInfo('CPU model:           x86_64\nCPU(s):              16\nCPU frequency:       2400 MHz\nCPU socket(s):       1\nCore(s) per socket:  8\nThread(s) per core:  2\nNUMA cell(s):        1\nMemory size:         67108864 KiB\n');
    expect(info).toEqual({ cpuModel: 'x86_64', cpus: 16, sockets: 1, coresPerSocket: 8, threadsPerCore: 2, numaCells: 1, memoryKiB: 67108864 });
    const table = ' Name          Path\n--------------------------------\n web-1.qcow2   /var/lib/libvirt/images/web-1.qcow2\n my disk.img   /var/lib/libvirt/images/my disk.img\n';
    expect(parseVolumeList(table)).toEqual(['web-1.qcow2', 'my disk.img']);
  });
});

describe.skipIf(SKIP)('import --from a libvirt test-driver node', () => {
  const uris: string[] = [];
  const original = new Map<string, string>();
  let fleetFile = '';

  beforeAll(async () => {
    // The test writes each host's node file where its URI points.
    for (const file of readdirSync(NODES).sort()) {
      const path = join(work, 'nodes', file);
      mkdirSync(join(work, 'nodes'), { recursive: true });
      copyFileSync(join(NODES, file), path);
      uris.push(`test://${path}`);
    }
    for (const uri of uris) {
      const host = await readLiveHost(uri);
      for (const domain of host.domains) original.set(domain.name, domain.xml);
    }
    fleetFile = join(work, 'fleet', 'fleet.yaml');
  });

  it('writes a complete fleet and a lock file, validated by the fleet schema', async () => {
    const { code, stdout: out, stderr: err } = await cli(['import', ...uris.flatMap((u) => ['--from', u]), '--out', 'fleet/fleet.yaml']);
    expect(err).toMatch(/^imported 2 host\(s\), 5 VM\(s\), 2 network\(s\), 2 pool\(s\)$/m);
    expect(code).toBe(0);
    expect(out).toBe('');
    const fleet = parse(readFileSync(fleetFile, 'utf8')) as Record<string, unknown>;
    const parsed = fleetFileSchema.safeParse(fleet);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const data = parsed.data!;
    expect(data.hosts.map((h) => [h.name, h.hypervisor, h.cpus, h.memory])).toEqual([['kvm-a', 'kvm', 16, '64GiB'], ['xen-s', 'xen', 8, '32GiB']]);
    expect(data.pools.map((p) => [p.name, p.type, p.path])).toEqual([['images', 'dir', '/var/lib/libvirt/images'], ['xenimg', 'dir', '/srv/xen']]);
    expect(data.networks.find((n) => n.name === 'prod')).toEqual({ name: 'prod', mode: 'nat', bridge: 'virbr1', cidr: '10.1.0.0/24', dhcp: { start: '10.1.0.10', end: '10.1.0.200' } });
    // vault-1's bridge is named by no libvirt network on its host: the fleet names it as the host bridge only.
    expect(data.networks.find((n) => n.name === 'br0')).toEqual({ name: 'br0', mode: 'bridge', bridge: 'br0', libvirtNetwork: false });
    const vms = new Map(data.vms.map((vm) => [vm.name, vm]));
    expect(vms.get('web-1')).toMatchObject({ host: 'kvm-a', memory: '2GiB', currentMemory: '1GiB', autostart: false });
    // Existing volumes are referenced with their real size; the CD-ROM keeps its ISO path.
    expect(vms.get('web-1')!.disks).toEqual([
      { pool: 'images', volume: 'web-1.qcow2', size: '20GiB', bus: 'virtio', format: 'qcow2', data: false, cache: 'default' },
      { device: 'cdrom', path: '/var/lib/libvirt/iso/debian.iso', bus: 'sata', format: 'raw', data: false },
    ]);
    expect(vms.get('db-1')).toMatchObject({ memory: '4194305KiB', networks: [{ type: 'user', model: 'virtio', mac: '52:54:00:00:00:03' }] });
    expect(vms.get('db-1')!.disks[0]!.network).toEqual({
      protocol: 'rbd',
      name: 'rbd-pool/db-1',
      hosts: [{ host: 'mon1.example', port: 6789 }, { host: 'mon2.example', port: 6789 }],
      auth: { username: 'libvirt', secret: { type: 'ceph', usage: 'client.libvirt secret' } },
    });
    expect(vms.get('legacy-32')).toMatchObject({ arch: 'i686', machine: 'pc', host: 'kvm-a' });
    expect(vms.get('legacy-32')!.disks[0]).toMatchObject({ pool: 'images', volume: 'legacy-32.img', size: '4194305KiB' });
    expect(vms.get('vault-1')).toMatchObject({ hypervisor: 'xen', guestType: 'hvm', host: 'xen-s', networks: [{ network: 'br0', mac: '00:16:3e:00:00:02' }] });

    const lock = parseLock(readFileSync(join(work, 'fleet', 'hyperplan.lock.json'), 'utf8'), 'lock');
    expect(lock.ok).toBe(true);
    if (!lock.ok) return;
    expect(lock.lock.placements).toEqual({ 'web-1': 'kvm-a', 'db-1': 'kvm-a', 'legacy-32': 'kvm-a', 'vault-1': 'xen-s', 'app-2': 'xen-s' });
    expect(lock.lock.uuids).toMatchObject({
      'web-1': '11111111-2222-3333-4444-555555555501',
      'vault-1': '11111111-2222-3333-4444-555555555502',
      'network:prod@kvm-a': '11111111-2222-3333-4444-5555555555a1',
      'pool:images@kvm-a': '11111111-2222-3333-4444-5555555555b1',
      'pool:xenimg@xen-s': '11111111-2222-3333-4444-5555555555b2',
    });
    // The summary table names every object; nothing was dropped from these domains.
    expect(err).toMatch(/^ {2}vms\[db-1\] +\d+ +0 +0$/m);
    expect(err).not.toMatch(/^dropped:/m);
  });

  it('synthesizes with --adopt: import blocks by UUID, no volume for an existing disk, and each domain renders as libvirt had it', async () => {
    // The fleet's host URIs must name the qemu or xen driver; the test driver stands in for both here.
    const text = readFileSync(fleetFile, 'utf8').replace(/uri: test:\/\/\S*kvm-a\.xml/, 'uri: qemu:///system').replace(/uri: test:\/\/\S*xen-s\.xml/, 'uri: xen:///system');
    writeFileSync(fleetFile, text);
    const outDir = join(work, 'out');
    const summary = await synthesizeFleet({ fleetFile, outDir, adopt: true, env: {} });
    expect(summary.adopted.map((a) => `${a.kind}:${a.name}@${a.host}`).sort()).toEqual([
      'domain:app-2@xen-s', 'domain:db-1@kvm-a', 'domain:legacy-32@kvm-a', 'domain:vault-1@xen-s', 'domain:web-1@kvm-a',
      'network:prod@kvm-a', 'pool:images@kvm-a', 'pool:xenimg@xen-s',
    ]);
    const rendered = new Map<string, string>();
    for (const stack of summary.stacks) {
      const json = JSON.parse(readFileSync(join(outDir, stack.file), 'utf8')) as SynthesizedStack & { import?: { id: string; to: string; provider: string }[] };
      expect(Object.keys(json.resource ?? {})).not.toContain('libvirt_volume');
      // The host bridge br0 has no libvirt network to create: only prod, adopted, is a libvirt_network.
      expect(Object.values(json.resource?.libvirt_network ?? {}).map((n) => n.name)).toEqual(stack.hosts.includes('kvm-a') ? ['prod'] : []);
      for (const block of json.import ?? []) expect(block.id).toMatch(/^11111111-2222-3333-4444-/);
      // What provider 0.9.7 reads back after import (constructs/domain-read-back.ts cites it; the e2e
      // adoption test shows the plan): libvirt's units and reported defaults, spelled out.
      const resources = (json as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {};
      for (const domain of Object.values(resources.libvirt_domain ?? {})) {
        expect(domain).toMatchObject({ memory_unit: 'KiB', current_memory_unit: 'KiB', on_poweroff: 'destroy', on_reboot: 'restart', on_crash: 'destroy', vcpu_placement: 'static' });
        if (domain.name === 'web-1') expect([domain.memory, domain.current_memory]).toEqual([2097152, 1048576]);
        if (domain.name === 'db-1') expect([domain.memory, domain.current_memory]).toEqual([4194305, 4194305]);
      }
      for (const block of json.import ?? []) {
        const [type, address] = block.to.split('.') as [string, string];
        if (type !== 'libvirt_domain') expect((resources[type]![address]!.lifecycle as { ignore_changes: string[] }).ignore_changes.length).toBeGreaterThan(0);
      }
      const hosts = new Map(stack.hosts.map((h) => [terraformId(h), h]));
      for (const file of renderStack(json, { hostOfAlias: (a) => hosts.get(a) ?? a }).files) {
        if (file.kind === 'domain') rendered.set(String(modeled(file.xml).name), file.xml);
      }
    }
    expect([...rendered.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [name, xml] of original) expect({ name, ...modeled(rendered.get(name)!) }).toEqual({ name, ...modeled(xml) });
  });

  it('skips a host it cannot reach, says where, exits 2 and still writes the others', async () => {
    const { code, stderr: err } = await cli(['import', '--from', uris[0]!, '--from', 'test:///no/such/node.xml', '--out', 'partial/fleet.yaml']);
    expect(code).toBe(2);
    expect(err).toMatch(/^test:\/\/\/no\/such\/node\.xml: error: virsh [a-z-]+[^:]*: .*failed to connect to the hypervisor.*\(host skipped\)$/m);
    const fleet = parse(readFileSync(join(work, 'partial', 'fleet.yaml'), 'utf8')) as { vms: { name: string }[] };
    expect(fleet.vms.map((vm) => vm.name)).toEqual(['db-1', 'legacy-32', 'web-1']);
  });

  it('--strict skips a domain with a dropped element, as an error with its path', async () => {
    const node = readFileSync(join(NODES, 'kvm-a.xml'), 'utf8').replace('<vcpu>4</vcpu>', "<vcpu>4</vcpu>\n    <cputune><shares>2048</shares></cputune>");
    writeFileSync(join(work, 'nodes', 'strict.xml'), node);
    const { code, stdout: out, stderr: err } = await cli(['import', '--from', `test://${join(work, 'nodes', 'strict.xml')}`, '--strict']);
    expect(code).toBe(2);
    expect(err).toMatch(/domain db-1:\d+: error: vms\[db-1\]: \/domain\/cputune: not expressible in the fleet model/);
    expect((parse(out) as { vms: { name: string }[] }).vms.map((vm) => vm.name)).toEqual(['legacy-32', 'web-1']);
  });
});
