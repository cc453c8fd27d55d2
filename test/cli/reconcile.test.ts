/**
 * `hyperplan reconcile` against libvirt's test driver: each host is a `test:///<node.xml>` connection
 * whose domains the test writes (libvirt docs/drvtest.rst: the test driver loads a node description from
 * an absolute file path), read with the real `virsh`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import { SKIP_TOOLS } from '../libvirt/tools';

const scratch = mkdtempSync(join(tmpdir(), 'hyperplan-reconcile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const UUID = { 'web-1': '4dea22b3-1d52-d8f3-2516-782e98ab3fa0', 'db-1': '6695eb01-f6a4-8304-79aa-97f2502e193f', stray: '1b3a5c7e-0000-4000-8000-000000000001' };
const FLEET = `apiVersion: hyperplan/v1
hosts:
  - { name: kvm-a1, hypervisor: kvm, uri: "qemu+ssh://root@kvm-a1/system", cpus: 32, memory: 128GiB }
  - { name: kvm-a2, hypervisor: kvm, uri: "qemu+ssh://root@kvm-a2/system", cpus: 32, memory: 128GiB }
migrationPools:
  - { name: pool-a, hypervisor: kvm, hosts: [kvm-a1, kvm-a2], sharedStorage: nfs, cpuModel: host-model, reserve: none }
networks: [{ name: prod, mode: bridge, bridge: br0 }]
pools: [{ name: nfs, type: netfs, source: "nfs1:/vms", path: /var/lib/libvirt/nfs }]
vms:
  - { name: web-1, vcpus: 2, memory: 4GiB, disks: [{ size: 10GiB, pool: nfs }], networks: [prod], migrationPool: pool-a }
  - { name: db-1, vcpus: 2, memory: 4GiB, disks: [{ size: 10GiB, pool: nfs }], networks: [prod], host: kvm-a1 }
`;

function node(file: string, domains: ReadonlyArray<readonly [string, string]>): string {
  const xml = domains.map(([name, uuid]) => `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`);
  const path = join(scratch, file);
  writeFileSync(path, `<node>${xml.join('')}</node>\n`);
  return `test://${path}`;
}

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), cwd: scratch, env: process.env, interactive: false } };
}

describe.skipIf(SKIP_TOOLS)('reconcile --from (virsh on the test driver)', () => {
  it('takes web-1 where HA restarted it, records every UUID, emits the state moves, and reports db-1 (pinned) as a conflict', async () => {
    const dir = mkdtempSync(join(scratch, 'fleet-'));
    writeFileSync(join(dir, 'fleet.yaml'), FLEET);
    writeFileSync(join(dir, 'hyperplan.lock.json'), `${JSON.stringify({ version: 1, placements: { 'db-1': 'kvm-a1', 'web-1': 'kvm-a1' } })}\n`);
    const a1 = node('a1.xml', []);
    const a2 = node('a2.xml', [['web-1', UUID['web-1']], ['db-1', UUID['db-1']], ['stray', UUID.stray]]);
    const t = io();
    const code = await run(['reconcile', join(dir, 'fleet.yaml'), '--from', `kvm-a1=${a1}`, '--from', `kvm-a2=${a2}`, '--out', join(dir, 'out'), '--format', 'json'], t.io);
    expect(code, t.out.stderr).toBe(1);
    const report = JSON.parse(t.out.stdout) as Record<string, unknown>;
    expect(report.moves).toEqual([{ vm: 'web-1', from: 'kvm-a1', to: 'kvm-a2', uuid: UUID['web-1'] }]);
    expect(report.conflicts).toEqual([{ vm: 'db-1', observed: ['kvm-a2'], planned: 'kvm-a1', reason: expect.stringContaining('the placement rules do not accept kvm-a2') }]);
    expect(report.unknown).toEqual([{ host: 'kvm-a2', domain: 'stray' }]);
    const lock = JSON.parse(readFileSync(join(dir, 'hyperplan.lock.json'), 'utf8')) as { placements: Record<string, string>; uuids: Record<string, string> };
    expect(lock).toEqual({ version: 1, placements: { 'db-1': 'kvm-a1', 'web-1': 'kvm-a2' }, uuids: { 'db-1': UUID['db-1'], 'web-1': UUID['web-1'] } });
    const stack = JSON.parse(readFileSync(join(dir, 'out/stacks/kvm/cdk.tf.json'), 'utf8')) as Record<string, unknown>;
    expect(stack.moved).toEqual([
      { from: 'libvirt_volume.kvm_a1_web_1_disk0', to: 'libvirt_volume.kvm_a2_web_1_disk0' },
      { from: 'libvirt_domain.kvm_a1_web_1', to: 'libvirt_domain.kvm_a2_web_1' },
    ]);
  });

  it('names the host whose connection fails (exit 2), and rejects a URI no host has', async () => {
    const dir = mkdtempSync(join(scratch, 'bad-'));
    writeFileSync(join(dir, 'fleet.yaml'), FLEET);
    const failing = io();
    expect(await run(['reconcile', join(dir, 'fleet.yaml'), '--from', `kvm-a1=test://${join(scratch, 'missing.xml')}`], failing.io)).toBe(2);
    expect(failing.out.stderr).toMatch(/--from kvm-a1: test:\/\/.*missing\.xml: virsh list( --[a-z-]+)+: .*failed to connect/);
    const unknown = io();
    expect(await run(['reconcile', join(dir, 'fleet.yaml'), '--from', 'qemu:///elsewhere'], unknown.io)).toBe(2);
    expect(unknown.out.stderr).toContain('--from qemu:///elsewhere: no fleet host has this uri');
  });
});
