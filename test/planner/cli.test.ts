import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import type { Io } from '../../cli/command';

const FLEET = `apiVersion: hyperplan/v1
defaults:
  kvm: { overcommit: { cpu: 4, memory: 1.0 }, reserved: { memory: 4GiB, cpus: 2 } }
  placement: { strategy: spread }
hosts:
  - { name: kvm-a1, hypervisor: kvm, uri: "qemu+ssh://root@kvm-a1/system", cpus: 16, memory: 64GiB }
  - { name: kvm-a2, hypervisor: kvm, uri: "qemu+ssh://root@kvm-a2/system", cpus: 16, memory: 64GiB }
migrationPools:
  - { name: pool-a, hypervisor: kvm, hosts: [kvm-a1, kvm-a2], sharedStorage: nfs-images, reserve: none }
networks:
  - { name: prod, mode: bridge, bridge: br0 }
pools:
  - { name: nfs-images, type: netfs, source: "nfs1:/export/images", path: /var/lib/libvirt/nfs }
vms:
  - { name: web-1, vcpus: 2, memory: 4GiB, disks: [{ size: 10GiB, pool: nfs-images }], networks: [prod], migrationPool: pool-a, antiAffinity: web }
  - { name: web-2, vcpus: 2, memory: 4GiB, disks: [{ size: 10GiB, pool: nfs-images }], networks: [prod], migrationPool: pool-a, antiAffinity: web }
`;

function setup(extraVm = ''): { dir: string; io: Io; out: string[]; err: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hyperplan-plan-'));
  writeFileSync(join(dir, 'fleet.yaml'), FLEET + extraVm);
  const out: string[] = [];
  const err: string[] = [];
  return { dir, out, err, io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env: {}, interactive: false } };
}

describe('hyperplan plan / explain / drain', () => {
  it('prints the JSON contract and writes the lock beside the fleet', async () => {
    const { dir, io, out, err } = setup();
    const code = await run(['plan', 'fleet.yaml', '--format', 'json', '--write-lock'], io);
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out.join(''));
    expect(Object.keys(json)).toEqual(['placements', 'unplaced', 'moves', 'hosts', 'pools', 'hostsUsed', 'lowerBound']);
    expect(json.placements).toEqual({ 'web-1': 'kvm-a1', 'web-2': 'kvm-a2' });
    expect(json.hosts[0]).toEqual({ name: 'kvm-a1', cpu: { used: 2, capacity: 56 }, memoryMiB: { used: 4096 + 88, capacity: 61440 } }); // 88 MiB: QEMU overhead (oVirt's estimate)
    expect(readFileSync(join(dir, 'hyperplan.lock.json'), 'utf8')).toBe(
      '{\n  "version": 1,\n  "placements": {\n    "web-1": "kvm-a1",\n    "web-2": "kvm-a2"\n  }\n}\n',
    );
  });

  it('keeps the lock, prints a table, and exits 1 when a VM stays unplaced', async () => {
    const { dir, io, out } = setup('  - { name: web-3, vcpus: 2, memory: 4GiB, networks: [prod], antiAffinity: web }\n');
    writeFileSync(join(dir, 'hyperplan.lock.json'), '{ "version": 1, "placements": { "web-1": "kvm-a2", "web-2": "kvm-a1" } }');
    expect(await run(['plan', 'fleet.yaml'], io)).toBe(1);
    const text = out.join('');
    expect(text).toMatch(/^host\s+vms\s+cpu used\/cap\s+memory GiB used\/cap\nkvm-a1\s+1\s+2\/56\s+4\.1\/60\.0\n/);
    expect(text).toContain('unplaced (1):\n  web-3:\n    kvm-a1: anti-affinity: host already runs a VM of anti-affinity group web');
    expect(existsSync(join(dir, '.hyperplan.lock.json.tmp'))).toBe(false);
  });

  it('explains a VM and drains a host with the virsh command', async () => {
    const { io, out } = setup();
    expect(await run(['explain', 'fleet.yaml', 'web-2', '--format', 'json'], io)).toBe(0);
    const explanation = JSON.parse(out.join(''));
    expect(explanation.chosen).toBe('kvm-a2');
    expect(explanation.hosts[0].filters.find((f: { pass: boolean }) => !f.pass).filter).toBe('anti-affinity');
    expect(explanation.demand).toEqual({ vcpus: 2, memoryMiB: 4096, overheadMiB: 88, hugepageMiB: 0 });
    out.length = 0;
    expect(await run(['explain', 'fleet.yaml', 'web-2'], io)).toBe(0);
    expect(out.join('')).toContain('web-2: placed on kvm-a2; needs 2 vCPUs, 4096 MiB and 88 MiB per-guest overhead');
    expect(out.join('')).toMatch(/kvm-a1: removed by anti-affinity: .*\n {4}memory 65536 MiB − 4096 host OS, × 1 = 61440 MiB for guests\n/);
    out.length = 0;
    const { io: io2, out: out2 } = setup();
    expect(await run(['drain', 'fleet.yaml', 'kvm-a1'], io2)).toBe(1);
    expect(out2.join('')).toContain('web-1: stays (no host can take it');
    expect(out.join('')).toBe('');
  });

  it('prints the drain JSON contract, extended with rebuilds, and the text with its transport flag', async () => {
    const fleet = FLEET.replace(/, antiAffinity: web \}/g, ' }');
    const dir = mkdtempSync(join(tmpdir(), 'hyperplan-drain-'));
    writeFileSync(join(dir, 'fleet.yaml'), fleet);
    const out: string[] = [];
    const io: Io = { stdout: (t) => out.push(t), stderr: () => undefined, cwd: dir, env: {}, interactive: false };
    expect(await run(['drain', 'fleet.yaml', 'kvm-a1', '--format', 'json'], io)).toBe(0);
    const json = JSON.parse(out.join(''));
    expect(Object.keys(json)).toEqual(['host', 'steps', 'rebuilds']);
    expect(json.steps).toEqual([
      { vm: 'web-1', to: 'kvm-a2', command: 'virsh -c qemu+ssh://root@kvm-a1/system migrate --live --persistent --undefinesource --tls web-1 qemu+ssh://root@kvm-a2/system' },
    ]);
    expect(json.rebuilds).toEqual([]);
  });

  it('rejects bad usage with exit 2 and has help', async () => {
    const { io, err, out } = setup();
    expect(await run(['plan', 'fleet.yaml', 'fleet.yaml'], io)).toBe(2);
    expect(err.join('')).toContain('plan: expected exactly one fleet file');
    expect(await run(['explain', 'fleet.yaml', 'nope'], io)).toBe(2);
    expect(await run(['drain', '--help'], io)).toBe(0);
    expect(out.join('')).toContain('Usage: hyperplan drain [fleet] <host>');
  });
});
