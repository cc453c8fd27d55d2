/**
 * Maintenance plans (planner/maintenance.ts), replayed migration by migration by a checker written here,
 * independent of the planner: it keeps its own map of VM → host and checks capacity (vCPUs and guest RAM
 * against the host's CPUs and memory), hard anti-affinity and the security class after every migration.
 */
import { describe, expect, it } from 'vitest';
import type { Fleet, StoragePool, Vm } from '../../fleet/model';
import { planMaintenance, migrationSeconds, DIRTY_PAGE_FACTOR, type MaintenancePlan } from '../../planner/maintenance';
import { fleet, GiB, host, pool, vm } from './fixtures';

const STORAGE: readonly StoragePool[] = [
  { name: 'nfs', type: 'netfs', source: 'nfs1:/export', path: '/var/lib/libvirt/nfs', shared: true },
  { name: 'local', type: 'dir', path: '/var/lib/libvirt/images', shared: false },
];
const shared = [{ sizeMiB: 20 * GiB, pool: 'nfs', data: false }];
const names = Array.from({ length: 8 }, (_, i) => `k${i + 1}`);

/**
 * A pool of 8 hosts (32 vCPUs, 128 GiB, nothing reserved, no overcommit), each running two 32 GiB VMs:
 * a host takes at most one more, so emptying a host needs two others. k7 and k8 are labelled sensitive
 * and each runs one sensitive VM, which may only go to the other. VM i of k2 and k3 (k4 and k5, k6 and
 * k7) share an anti-affinity group.
 */
function poolOfEight(): { fleet: Fleet; placements: Record<string, string> } {
  const vms: Vm[] = [];
  const placements: Record<string, string> = {};
  names.forEach((h, k) => {
    for (const i of [0, 1]) {
      const sensitive = i === 0 && k >= 6;
      const name = `${h}-vm${i}`;
      vms.push(
        vm(name, {
          vcpus: 8,
          memoryMiB: 32 * GiB,
          disks: shared,
          migrationPool: 'p',
          antiAffinity: `g${i}-${Math.floor((k + 1) / 2)}`,
          ...(sensitive ? { securityClass: 'sensitive' as const } : {}),
        }),
      );
      placements[name] = h;
    }
  });
  return {
    fleet: fleet({
      hosts: names.map((h, k) => host(h, k >= 6 ? { labels: { securityClass: 'sensitive' } } : {})),
      migrationPools: [pool('p', names, { sharedStorage: 'nfs', transport: 'tls' })],
      pools: STORAGE,
      vms,
    }),
    placements,
  };
}

/** Replays `plan` from `placements` and throws at the first migration that breaks a rule. */
function check(f: Fleet, placements: Record<string, string>, plan: MaintenancePlan, parallel: number, returnVms: boolean): void {
  const where = new Map(Object.entries(placements));
  const hosts = new Map(f.hosts.map((h) => [h.name, h]));
  const vms = new Map(f.vms.map((v) => [v.name, v]));
  const on = (h: string): Vm[] => [...where].filter(([, at]) => at === h).map(([name]) => vms.get(name)!);
  const verify = (step: string): void => {
    for (const h of f.hosts) {
      const guests = on(h.name);
      const cpu = guests.reduce((n, v) => n + v.vcpus, 0);
      const memory = guests.reduce((n, v) => n + v.memoryMiB, 0);
      if (cpu > h.cpus || memory > h.memoryMiB) throw new Error(`${step}: ${h.name} holds ${cpu} vCPUs / ${memory} MiB`);
      const groups = guests.flatMap((v) => (v.antiAffinity ? [v.antiAffinity] : []));
      if (new Set(groups).size !== groups.length) throw new Error(`${step}: ${h.name} runs two VMs of one anti-affinity group`);
      if (guests.some((v) => v.securityClass === 'sensitive') && h.labels.securityClass !== 'sensitive') throw new Error(`${step}: sensitive VM on ${h.name}`);
    }
  };
  verify('start');
  const patched: string[] = [];
  for (const [w, wave] of plan.waves.entries()) {
    const before = new Map(where);
    const steps = new Map<number, number>();
    for (const m of wave.migrations) {
      const step = `wave ${w + 1} ${m.phase} ${m.vm} ${m.from} → ${m.to}`;
      if (where.get(m.vm) !== m.from) throw new Error(`${step}: the VM is on ${where.get(m.vm)}`);
      if (m.phase === 'evacuate' && wave.hosts.includes(m.to)) throw new Error(`${step}: target is patched in this wave`);
      expect(m.command).toBe(`virsh -c ${hosts.get(m.from)!.uri} migrate --live --persistent --undefinesource --tls ${m.vm} ${hosts.get(m.to)!.uri}`);
      steps.set(m.step, (steps.get(m.step) ?? 0) + 1);
      where.set(m.vm, m.to);
      verify(step);
      if (m.phase === 'evacuate' && m === wave.migrations.filter((x) => x.phase === 'evacuate').at(-1)) {
        for (const h of wave.hosts) {
          const left = on(h).map((v) => v.name).filter((name) => !wave.cold.some((c) => c.vm === name));
          if (left.length > 0) throw new Error(`wave ${w + 1}: ${h} still runs ${left.join(', ')} while patched`);
        }
      }
    }
    for (const count of steps.values()) expect(count).toBeLessThanOrEqual(parallel);
    if (returnVms) expect(where).toEqual(before);
    patched.push(...wave.hosts);
  }
  expect([...patched].sort()).toEqual([...names].sort());
}

describe('maintenance of a pool of 8 hosts', () => {
  const { fleet: f, placements } = poolOfEight();

  for (const [parallel, returnVms] of [[1, true], [2, true], [3, false], [1, false]] as const) {
    it(`keeps capacity, anti-affinity and security class after every migration (parallel ${parallel}, ${returnVms ? 'return' : 'stay'})`, () => {
      const result = planMaintenance(f, placements, { kind: 'pool', pool: 'p' }, { parallel, returnVms });
      if (!result.ok) throw new Error(result.problem);
      check(f, placements, result.plan, parallel, returnVms);
      expect(result.plan.waves.flatMap((w) => w.cold)).toEqual([]);
      // Each host's two VMs need two others with one free slot each: at most two hosts per wave when VMs return.
      if (returnVms) expect(result.plan.waves.every((w) => w.hosts.length <= 2)).toBe(true);
      expect(result.plan.total.migrations).toBe(result.plan.waves.reduce((n, w) => n + w.migrations.length, 0));
    });
  }

  it('with --return moves every VM out and back: twice the VMs in migrations, in as few as four waves', () => {
    const result = planMaintenance(f, placements, { kind: 'pool', pool: 'p' }, { returnVms: true });
    if (!result.ok) throw new Error(result.problem);
    expect(result.plan.total.migrations).toBe(32);
    expect(result.plan.total.waves).toBe(4);
  });

  it('estimates seconds from memory and bandwidth: 32 GiB at 10 Gbit/s × the dirty-page factor, steps in sequence', () => {
    // 32 GiB = 32 × 2^30 × 8 bits; at 10^10 bit/s that is 27.49 s before the factor.
    expect(migrationSeconds(32 * GiB, 10e9)).toBeCloseTo(((32 * 2 ** 30 * 8) / 1e10) * DIRTY_PAGE_FACTOR, 6);
    const one = planMaintenance(f, placements, { kind: 'hosts', hosts: ['k1'] }, { parallel: 1 });
    const two = planMaintenance(f, placements, { kind: 'hosts', hosts: ['k1'] }, { parallel: 2 });
    if (!one.ok || !two.ok) throw new Error('no plan');
    expect(one.plan.waves[0]!.seconds).toBe(Math.ceil(2 * migrationSeconds(32 * GiB, 10e9)));
    expect(two.plan.waves[0]!.seconds).toBe(Math.ceil(migrationSeconds(32 * GiB, 10e9)));
  });

  it('lists a VM that cannot live-migrate as cold, with the reason drain gives', () => {
    const withLocal = { ...f, vms: f.vms.map((v) => (v.name === 'k1-vm0' ? { ...v, disks: [{ sizeMiB: 20 * GiB, pool: 'local', data: false }] } : v)) };
    const result = planMaintenance(withLocal, placements, { kind: 'hosts', hosts: ['k1'] });
    if (!result.ok) throw new Error(result.problem);
    // A tls pool copies local disks with --copy-storage-all, so it migrates; over a tunnelled transport it cannot.
    expect(result.plan.waves[0]!.migrations.find((m) => m.vm === 'k1-vm0')?.command).toContain('--copy-storage-all');
    const tunnelled = { ...withLocal, migrationPools: [{ ...withLocal.migrationPools[0]!, transport: 'tunnelled' as const }] };
    const cold = planMaintenance(tunnelled, placements, { kind: 'hosts', hosts: ['k1'] });
    if (!cold.ok) throw new Error(cold.problem);
    expect(cold.plan.waves[0]!.cold).toEqual([
      { vm: 'k1-vm0', host: 'k1', reason: expect.stringContaining('libvirt cannot copy storage over a tunnelled migration') },
    ]);
  });

  it('rejects an unknown pool, zone or host', () => {
    expect(planMaintenance(f, placements, { kind: 'pool', pool: 'q' })).toEqual({ ok: false, problem: 'no migration pool named q (pools: p)' });
    expect(planMaintenance(f, placements, { kind: 'zone', zone: 'z' })).toEqual({ ok: false, problem: 'no host is in zone z' });
    expect(planMaintenance(f, placements, { kind: 'hosts', hosts: ['k1', 'k9'] })).toEqual({ ok: false, problem: 'no host named k9 in the fleet' });
  });
});
