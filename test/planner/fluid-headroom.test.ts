/**
 * The fluid bound (planner/fluid-headroom.ts) may only ever claim what first-fit's evacuation finds: on
 * random pools in any state (capacity overrun, anti-affinity broken, hugepage and isolated VMs included),
 * every failure set it passes evacuates, by `evacuate` itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Vm } from '../../fleet/model';
import { buildContext } from '../../planner/context';
import { fluidEvacuation, fluidHeadroom, PoolSlack } from '../../planner/fluid-headroom';
import { evacuate, failureSets, poolMembers } from '../../planner/headroom';
import { Ledger } from '../../planner/ledger';
import { fleet, GiB, host, pool, randomPoolFleet, vm } from './fixtures';

const SEED = 20261130;

interface PoolState {
  readonly hosts: readonly { readonly cpus: number; readonly memoryGiB: number }[];
  readonly vms: readonly { readonly vcpus: number; readonly memoryGiB: number; readonly group?: string; readonly kind: 'plain' | 'hugepages' | 'isolated'; readonly on: number }[];
}

const stateArb: fc.Arbitrary<PoolState> = fc.integer({ min: 2, max: 7 }).chain((n) =>
  fc.record({
    hosts: fc.array(fc.record({ cpus: fc.constantFrom(8, 16, 32, 64), memoryGiB: fc.constantFrom(16, 32, 64, 128) }), { minLength: n, maxLength: n }),
    vms: fc.array(
      fc.record({
        vcpus: fc.constantFrom(1, 2, 4, 8),
        memoryGiB: fc.constantFrom(1, 2, 4, 8, 16),
        group: fc.constantFrom(undefined, undefined, 'a', 'b', 'c'),
        kind: fc.constantFrom('plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'hugepages', 'isolated') as fc.Arbitrary<'plain' | 'hugepages' | 'isolated'>,
        // Hosts 0..n-1; the first ones carry more (a pool packed from the front, as the planner packs).
        on: fc.nat({ max: n * n - 1 }).map((x) => Math.floor(Math.sqrt(x))),
      }),
      { maxLength: 40 },
    ),
  }),
);

function build(state: PoolState) {
  const { fleet: f, names, vms } = randomPoolFleet(state, { hugepageCount: 4096, inPool: true });
  const ctx = buildContext(f);
  const ledger = new Ledger(ctx);
  // Whatever the filters say: the bound must hold on any ledger the guard could meet.
  state.vms.forEach((v, i) => ledger.assign(ctx.vmIndex.get(vms[i]!.name)!, ctx.hostIndex.get(names[v.on]!)!));
  const members = poolMembers(ctx, ctx.migrationPools.get('p')!);
  return { ctx, ledger, members };
}

describe('fluid headroom bound', () => {
  it('passes only failure sets whose first-fit evacuation succeeds', () => {
    let passed = 0;
    let sets = 0;
    fc.assert(
      fc.property(stateArb, (state) => {
        const { ctx, ledger, members } = build(state);
        const slack = new PoolSlack(ctx, ledger, members);
        for (const k of [1, 2]) {
          if (members.length <= k) continue;
          const all = failureSets(members, k);
          const succeeds = all.map((failed) => evacuate(ctx, ledger, members.filter((m) => !failed.includes(m)), failed).ok);
          all.forEach((failed, i) => {
            const survivors = members.filter((m) => !failed.includes(m));
            sets += 1;
            const at = failed.map((m) => members.indexOf(m));
            const claims = [fluidEvacuation(ctx, ledger, failed, survivors), slack.holds(at[0]!, at[1] ?? -1)];
            if (claims.some(Boolean)) {
              passed += 1;
              expect(succeeds[i], `losing ${failed.map((m) => ctx.hosts[m]!.host.name).join(', ')}`).toBe(true);
            }
          });
          if (fluidHeadroom(ctx, ledger, members, k)) expect(succeeds.every(Boolean)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
    // Not vacuous: the bound passes a good share of the sets.
    expect(passed).toBeGreaterThan(sets / 10);
  });

  it('leaves to the evacuation what the argument does not count: hugepage-backed or isolated evacuees, two VMs of one group on a host', () => {
    const roomy = (extra: Partial<Vm>) => {
      const f = fleet({
        hosts: ['kvm-0', 'kvm-1', 'kvm-2'].map((n) => host(n, { cpus: 64, memoryMiB: 256 * GiB, hugepages: { sizeKiB: 2048, count: 8192 } })),
        vms: [vm('a', { vcpus: 1, memoryMiB: GiB, migrationPool: 'p', ...extra }), vm('b', { vcpus: 1, memoryMiB: GiB, migrationPool: 'p', antiAffinity: 'g' })],
        migrationPools: [pool('p', ['kvm-0', 'kvm-1', 'kvm-2'])],
      });
      const ctx = buildContext(f);
      const ledger = new Ledger(ctx);
      ledger.assign(ctx.vmIndex.get('a')!, 0);
      ledger.assign(ctx.vmIndex.get('b')!, 0);
      const members = poolMembers(ctx, ctx.migrationPools.get('p')!);
      return { held: fluidEvacuation(ctx, ledger, [0], [1, 2]), pool: fluidHeadroom(ctx, ledger, members, 1), set: new PoolSlack(ctx, ledger, members).holds(0, -1) };
    };
    // Plenty of room: the bound holds for plain VMs.
    expect(roomy({})).toEqual({ held: true, pool: true, set: true });
    expect(roomy({ hugepages: true })).toEqual({ held: false, pool: false, set: false });
    expect(roomy({ securityClass: 'isolated' })).toEqual({ held: false, pool: false, set: false });
    // Two of group g on one host: the pool-wide forms give up; the set's own counts the second as a sibling.
    expect(roomy({ antiAffinity: 'g' })).toEqual({ held: true, pool: false, set: false });
  });

  it('counts an evacuee of the same group from the other failed host: it may take the only roomy survivor first', () => {
    const f = fleet({
      hosts: [host('kvm-0', { cpus: 8, memoryMiB: 16 * GiB }), host('kvm-1', { cpus: 8, memoryMiB: 16 * GiB }), host('kvm-2', { cpus: 64, memoryMiB: 256 * GiB })],
      vms: [vm('x', { vcpus: 4, memoryMiB: 8 * GiB, migrationPool: 'p', antiAffinity: 'g' }), vm('y', { vcpus: 4, memoryMiB: 8 * GiB, migrationPool: 'p', antiAffinity: 'g' })],
      migrationPools: [pool('p', ['kvm-0', 'kvm-1', 'kvm-2'])],
    });
    const ctx = buildContext(f);
    const ledger = new Ledger(ctx);
    ledger.assign(ctx.vmIndex.get('x')!, 0);
    ledger.assign(ctx.vmIndex.get('y')!, 1);
    // kvm-2 has room for both, but takes only one of group g.
    expect(evacuate(ctx, ledger, [2], [0, 1]).ok).toBe(false);
    expect(fluidEvacuation(ctx, ledger, [0, 1], [2])).toBe(false);
    const members = poolMembers(ctx, ctx.migrationPools.get('p')!);
    expect(new PoolSlack(ctx, ledger, members).holds(0, 1)).toBe(false);
    expect(fluidHeadroom(ctx, ledger, members, 2)).toBe(false);
    // One failed host at a time: kvm-2 takes it.
    expect(fluidEvacuation(ctx, ledger, [0], [1, 2])).toBe(true);
    expect(new PoolSlack(ctx, ledger, members).holds(0, -1)).toBe(true);
  });

  it('does not pass a set that first-fit cannot evacuate for want of room (two hosts of 0.4 + 0.3 + 0.3 onto two empty hosts)', () => {
    const sized = (name: string, on: number) => ({ name, on, vcpus: 1, memoryMiB: 0 });
    const parts = [sized('a1', 0), sized('a2', 0), sized('a3', 0), sized('b1', 1), sized('b2', 1), sized('b3', 1)];
    const memory = [40, 30, 30, 40, 30, 30];
    const f = fleet({
      hosts: ['kvm-0', 'kvm-1', 'kvm-2', 'kvm-3'].map((n) => host(n, { cpus: 64, memoryMiB: 100 * GiB })),
      vms: parts.map((p, i) => vm(p.name, { vcpus: p.vcpus, memoryMiB: memory[i]! * GiB, migrationPool: 'p' })),
      migrationPools: [pool('p', ['kvm-0', 'kvm-1', 'kvm-2', 'kvm-3'])],
    });
    const ctx = buildContext(f);
    const ledger = new Ledger(ctx);
    parts.forEach((p) => ledger.assign(ctx.vmIndex.get(p.name)!, p.on));
    expect(evacuate(ctx, ledger, [2, 3], [0, 1]).ok).toBe(false);
    expect(fluidEvacuation(ctx, ledger, [0, 1], [2, 3])).toBe(false);
    const members = poolMembers(ctx, ctx.migrationPools.get('p')!);
    expect(new PoolSlack(ctx, ledger, members).holds(0, 1)).toBe(false);
    expect(fluidHeadroom(ctx, ledger, members, 2)).toBe(false);
  });
});
