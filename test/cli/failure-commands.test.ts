/** `hyperplan simulate` and `hyperplan maintenance` on the command line: help, output, exit codes, bad input. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';

const HYBRID = 'examples/hybrid/fleet.yaml';

describe('hyperplan simulate', () => {
  it('--help gives the usage, the failure forms, the JSON shape and the exit codes', async () => {
    const { code, stdout: out } = await cli(['simulate', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: hyperplan simulate \[fleet\] --fail <host \| zone:NAME \| any:N>/);
    for (const text of ['--fail zone:NAME', '--fail any:N', '--seed S', '--samples C', '"restarted": [ { "vm", "from", "to" } ]', '"worst": { "failed", "lost" }', 'n+1: any one of its hosts']) {
      expect(out).toContain(text);
    }
  });

  it('prints the contract JSON: a rack of the hybrid example loses what has local disks or no other host', async () => {
    const { code, stdout: out } = await cli(['simulate', HYBRID, '--fail', 'zone:rack-a', '--format', 'json']);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(Object.keys(result)).toEqual(['scenarios', 'worst']);
    expect(Object.keys(result.scenarios[0])).toEqual(['failed', 'restarted', 'lost', 'hosts', 'spare', 'broken']);
    expect(result.worst).toEqual({ failed: ['kvm-a1', 'kvm-a2'], lost: 4 });
    expect(result.scenarios[0].lost.map((l: { vm: string }) => l.vm)).toEqual(['db-1', 'lab-1', 'web-1', 'web-2']);
  });

  it('prints a table worst first, and says when any:N samples', async () => {
    const { code, stdout: out } = await cli(['simulate', HYBRID, '--fail', 'any:1']);
    expect(code).toBe(0);
    const rows = out.split('\n').slice(1, 4).map((line) => line.split(/\s+/)[0]);
    expect(rows).toEqual(['kvm-a1', 'kvm-a2', 'xen-s1']);
    expect(out).toContain('worst: kvm-a1');
    expect(out).not.toContain('sampled');
  });

  it('exits 1 when a reserve promise breaks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperplan-simulate-'));
    try {
      // Two hosts of 64 GiB in an n+1 pool, a 40 GiB VM on each, pinned by the lock: either host's loss leaves its VM nowhere.
      writeFileSync(
        join(dir, 'fleet.yaml'),
        [
          'apiVersion: hyperplan/v1',
          'hosts:',
          '  - { name: k1, hypervisor: kvm, uri: qemu+ssh://root@k1/system, cpus: 16, memory: 64GiB }',
          '  - { name: k2, hypervisor: kvm, uri: qemu+ssh://root@k2/system, cpus: 16, memory: 64GiB }',
          'migrationPools:',
          '  - { name: p, hypervisor: kvm, hosts: [k1, k2], sharedStorage: nfs, reserve: none }',
          'networks: [{ name: prod, mode: bridge, bridge: br0 }]',
          'pools: [{ name: nfs, type: netfs, source: "nfs1:/x", path: /var/lib/libvirt/nfs }]',
          'vms:',
          '  - { name: a, vcpus: 2, memory: 40GiB, migrationPool: p, disks: [{ size: 10GiB, pool: nfs }], networks: [prod] }',
          '  - { name: b, vcpus: 2, memory: 40GiB, migrationPool: p, disks: [{ size: 10GiB, pool: nfs }], networks: [prod] }',
          '',
        ].join('\n'),
      );
      expect((await cli(['simulate', 'fleet.yaml', '--fail', 'k1'], { cwd: dir })).code).toBe(0);
      // The same placement promised n+1: the planner cannot keep it, and the simulation shows the loss.
      writeFileSync(join(dir, 'hyperplan.lock.json'), JSON.stringify({ version: 1, placements: { a: 'k1', b: 'k2' } }));
      const text = readFileSync(join(dir, 'fleet.yaml'), 'utf8').replace('reserve: none', 'reserve: n+1');
      writeFileSync(join(dir, 'fleet.yaml'), text);
      const broken = await cli(['simulate', 'fleet.yaml', '--fail', 'k1'], { cwd: dir });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('migration pool p (n+1) loses a when k1 fails');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on bad input, each a located message', async () => {
    expect(await cli(['simulate', HYBRID])).toMatchObject({ code: 2, stderr: expect.stringContaining('--fail <host | zone:NAME | any:N> is required') });
    expect(await cli(['simulate', HYBRID, '--fail', 'any:0'])).toMatchObject({ code: 2, stderr: expect.stringContaining("needs a whole number N ≥ 1, got 'any:0'") });
    expect(await cli(['simulate', HYBRID, '--fail', 'any:3'])).toMatchObject({ code: 2, stderr: expect.stringContaining('any:3 needs a whole number from 1 to 2') });
    expect(await cli(['simulate', HYBRID, '--fail', 'nope'])).toMatchObject({ code: 2, stderr: expect.stringContaining(`${HYBRID}: no host named nope in the fleet`) });
    expect(await cli(['simulate', HYBRID, '--fail', 'any:1', '--seed', 'x'])).toMatchObject({ code: 2 });
  });
});

describe('hyperplan maintenance', () => {
  it('--help gives the usage, the duration formula and its assumption, the JSON shape', async () => {
    const { code, stdout: out } = await cli(['maintenance', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: hyperplan maintenance \[fleet\] \(--pool P \| --zone Z \| --hosts a,b\)/);
    for (const text of ['× 8 bits × 1.5', 'an assumption, not a measurement', '--parallel N', '--bandwidth R', '--return', '"total": { "waves", "migrations", "seconds" }']) {
      expect(out).toContain(text);
    }
  });

  it('plans the hybrid pool in two waves with drain’s commands', async () => {
    const { code, stdout: out } = await cli(['maintenance', HYBRID, '--pool', 'kvm-pool-a', '--format', 'json']);
    expect(code).toBe(0);
    const plan = JSON.parse(out);
    expect(Object.keys(plan)).toEqual(['waves', 'total']);
    expect(plan.waves.map((w: { hosts: string[] }) => w.hosts)).toEqual([['kvm-a1'], ['kvm-a2']]);
    const drain = await cli(['drain', HYBRID, 'kvm-a2', '--format', 'json']);
    const drained = JSON.parse(drain.stdout).steps.find((s: { vm: string }) => s.vm === 'web-2');
    expect(plan.waves[1].migrations.find((m: { vm: string }) => m.vm === 'web-2').command).toBe(drained.command);
    expect(plan.waves[0].cold).toEqual([{ vm: 'web-1', host: 'kvm-a1', reason: expect.stringContaining('cloud-init seed') }]);
  });

  it('exits 2 on bad input', async () => {
    expect(await cli(['maintenance', HYBRID])).toMatchObject({ code: 2, stderr: expect.stringContaining('give exactly one of --pool, --zone or --hosts') });
    expect(await cli(['maintenance', HYBRID, '--pool', 'x', '--zone', 'y'])).toMatchObject({ code: 2 });
    expect(await cli(['maintenance', HYBRID, '--pool', 'nope'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no migration pool named nope') });
    expect(await cli(['maintenance', HYBRID, '--hosts', 'kvm-a1', '--bandwidth', 'fast'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--bandwidth takes a rate like 10Gbit') });
    expect(await cli(['maintenance', HYBRID, '--hosts', 'kvm-a1', '--parallel', '0'])).toMatchObject({ code: 2 });
  });
});
