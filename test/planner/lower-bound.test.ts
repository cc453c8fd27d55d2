/**
 * The headroom- and anti-affinity-aware lower bound (planner/lower-bound.ts): what each new argument
 * adds, and, on random small fleets, bound ≤ the exact optimum that HiGHS proves (bench/oracle.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactMinimumHosts } from '../../bench/oracle';
import type { Fleet, Host, MigrationPool, Vm } from '../../fleet/model';
import { lowerBound } from '../../planner/lower-bound';
import { plan } from '../../planner/plan';
import { fleet, GiB, host, pool, vm } from './fixtures';

const kvm = (name: string, cpus = 16, memoryMiB = 64 * GiB): Host => host(name, { cpus, memoryMiB });

describe('lowerBound: migration-pool headroom', () => {
  it('caps what an n+1 pool holds at its capacity less its largest member, which pushes demand out', async () => {
    // Pool p: three 16-vCPU hosts with reserve n+1. Whatever runs on them, losing the largest member must
    // leave room for its VMs on the other two, so the pool holds at most 48 − 16 = 32 vCPUs. Outside: two
    // 8-vCPU hosts. Demand: 16 vCPUs bound to p and 28 free ones, 44 in all. Volume alone: three 16-vCPU
    // hosts offer 48 ≥ 44. With the cap, three hosts offer at most 32 + 8 = 40 (two pool hosts and an
    // outsider; three pool hosts still 32; one pool host and both outsiders 32): four are needed.
    const small = (name: string): Host => kvm(name, 8);
    const f = fleet({
      hosts: [kvm('kvm-1'), kvm('kvm-2'), kvm('kvm-3'), small('kvm-4'), small('kvm-5')],
      migrationPools: [pool('p', ['kvm-1', 'kvm-2', 'kvm-3'], { reserve: 'n+1' })],
      vms: [
        ...[0, 1].map((i) => vm(`pooled-${i}`, { vcpus: 8, memoryMiB: 1 * GiB, migrationPool: 'p' })),
        ...[0, 1, 2, 3, 4, 5, 6].map((i) => vm(`free-${i}`, { vcpus: 4, memoryMiB: 1 * GiB })),
      ],
      strategy: 'pack',
    });
    expect(lowerBound(f)).toBe(4);
    // Four is reachable: both outsiders full (16 vCPUs), two pool hosts with 16 and 12, the third kept empty
    // as the spare any single failure evacuates to.
    const exact = await exactMinimumHosts(f);
    expect(exact).toMatchObject({ status: 'optimal', hosts: 4 });
  });

  it('answers every host when a pool cannot keep its own VMs through the failure of its largest member', () => {
    // 36 vCPUs bound to p, which can hold at most 32 with n+1: no valid placement exists.
    const f = fleet({
      hosts: [kvm('kvm-1'), kvm('kvm-2'), kvm('kvm-3'), kvm('kvm-4')],
      migrationPools: [pool('p', ['kvm-1', 'kvm-2', 'kvm-3'], { reserve: 'n+1' })],
      vms: [0, 1, 2, 3].map((i) => vm(`pooled-${i}`, { vcpus: 9, memoryMiB: 1 * GiB, migrationPool: 'p' })),
    });
    expect(lowerBound(f)).toBe(4);
  });
});

describe('lowerBound: anti-affinity', () => {
  it('spreads a group forced into a pool over as many of its hosts, on top of what the rest needs', async () => {
    // Three 1-vCPU replicas bound to pool p need three distinct pool hosts (16 vCPUs each); 60 vCPUs of
    // other VMs need the 64-vCPU host as well, since three pool hosts offer only 48. The old bound took
    // the pool's minimum from volume (one host) and found 2 hosts, then max(2, group of 3) = 3.
    const f = fleet({
      hosts: [kvm('kvm-big', 64, 256 * GiB), kvm('kvm-1'), kvm('kvm-2'), kvm('kvm-3')],
      migrationPools: [pool('p', ['kvm-1', 'kvm-2', 'kvm-3'])],
      vms: [
        ...[0, 1, 2].map((i) => vm(`web-${i}`, { vcpus: 1, memoryMiB: 1 * GiB, migrationPool: 'p', antiAffinity: 'web' })),
        ...[0, 1].map((i) => vm(`batch-${i}`, { vcpus: 30, memoryMiB: 8 * GiB })),
      ],
      strategy: 'pack',
    });
    expect(lowerBound(f)).toBe(4);
    expect(plan(f).hostsUsed).toBe(4);
    expect(await exactMinimumHosts(f)).toMatchObject({ status: 'optimal', hosts: 4 });
  });
});

const SEED = 20_240_601;

const hostArb = (i: number, xen: boolean) =>
  fc
    .record({ cpus: fc.constantFrom(4, 8, 16), memoryGiB: fc.constantFrom(8, 16, 32), overcommit: fc.constantFrom(1, 2), label: fc.constantFrom(undefined, undefined, undefined, 'sensitive') })
    .map((h): Host =>
      host(`${xen ? 'xen' : 'kvm'}-${i}`, {
        hypervisor: xen ? 'xen' : 'kvm',
        cpus: h.cpus,
        memoryMiB: h.memoryGiB * GiB,
        overcommit: { cpu: h.overcommit, memory: 1 },
        ...(h.label ? { labels: { securityClass: h.label } } : {}),
      }),
    );

const vmArb = (i: number, pools: readonly string[]) =>
  fc
    .record({
      vcpus: fc.constantFrom(1, 2, 4, 8),
      memoryGiB: fc.constantFrom(1, 2, 4, 8),
      hypervisor: fc.constantFrom('auto', 'auto', 'kvm', 'xen') as fc.Arbitrary<Vm['hypervisor']>,
      security: fc.constantFrom('general', 'general', 'general', 'general', 'general', 'general', 'sensitive', 'isolated') as fc.Arbitrary<Vm['securityClass']>,
      anti: fc.constantFrom(undefined, undefined, 'a', 'b'),
      pool: fc.constantFrom(undefined, undefined, ...pools),
    })
    .map((v): Vm =>
      vm(`vm-${String(i).padStart(2, '0')}`, {
        vcpus: v.vcpus,
        memoryMiB: v.memoryGiB * GiB,
        hypervisor: v.hypervisor,
        securityClass: v.security,
        ...(v.anti ? { antiAffinity: v.anti } : {}),
        ...(v.pool ? { migrationPool: v.pool } : {}),
      }),
    );

/** 2–6 hosts of both kinds, one pool per kind with a random reserve, 1–12 VMs. */
const fleetArb: fc.Arbitrary<Fleet> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }))
  .chain(([k, x]) => fc.tuple(fc.tuple(...Array.from({ length: k }, (_, i) => hostArb(i, false))), x === 0 ? fc.constant([] as Host[]) : fc.tuple(...Array.from({ length: x }, (_, i) => hostArb(i, true)))))
  .chain(([kvmHosts, xenHosts]) =>
    fc
      .record({
        kvmReserve: fc.constantFrom('none', 'n+1', 'n+2') as fc.Arbitrary<MigrationPool['reserve']>,
        kvmPoolSize: fc.integer({ min: 0, max: kvmHosts.length }),
        xenReserve: fc.constantFrom('none', 'n+1') as fc.Arbitrary<MigrationPool['reserve']>,
        count: fc.integer({ min: 1, max: 12 }),
      })
      .chain(({ kvmReserve, kvmPoolSize, xenReserve, count }) => {
        const pools: MigrationPool[] = [];
        if (kvmPoolSize > 0) pools.push(pool('kp', kvmHosts.slice(0, kvmPoolSize).map((h) => h.name), { reserve: kvmReserve }));
        if (xenHosts.length > 0) pools.push(pool('xp', xenHosts.map((h) => h.name), { hypervisor: 'xen', reserve: xenReserve }));
        return fc
          .tuple(...Array.from({ length: count }, (_, i) => vmArb(i, pools.map((p) => p.name))))
          .map((vms) => fleet({ hosts: [...kvmHosts, ...xenHosts], vms, migrationPools: pools, strategy: 'pack' }));
      }),
  );

describe('lowerBound never exceeds the exact optimum', () => {
  it('on random small fleets with pools, reserves, anti-affinity, isolation and both kinds', async () => {
    let proven = 0;
    await fc.assert(
      fc.asyncProperty(fleetArb, async (f) => {
        const exact = await exactMinimumHosts(f, { timeLimitSeconds: 20 });
        // No valid placement of every placeable VM: "bound ≤ optimum" says nothing.
        if (exact.status === 'infeasible') return;
        expect(exact.status).toBe('optimal');
        proven += 1;
        expect(lowerBound(f)).toBeLessThanOrEqual(exact.hosts!);
      }),
      { seed: SEED, numRuns: 200 },
    );
    // The property must not pass by every fleet being infeasible (about half are proven at this seed).
    expect(proven).toBeGreaterThan(60);
  });
});

describe("the oracle's aggregate headroom relaxation (bench/oracle.ts) never exceeds the exact optimum", () => {
  it('on random small fleets: a relaxation, so its optimum is a lower bound and its infeasibility proves the exact model infeasible', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fleetArb, async (f) => {
        const exact = await exactMinimumHosts(f, { timeLimitSeconds: 20 });
        const aggregate = await exactMinimumHosts(f, { timeLimitSeconds: 20, evacuation: 'aggregate' });
        if (aggregate.status === 'infeasible') expect(exact.status).toBe('infeasible');
        if (exact.status === 'infeasible') return;
        expect(exact.status).toBe('optimal');
        expect(aggregate.status).toBe('optimal');
        compared += 1;
        expect(aggregate.hosts!).toBeLessThanOrEqual(exact.hosts!);
      }),
      { seed: SEED, numRuns: 100 },
    );
    expect(compared).toBeGreaterThan(30);
  });
});
