/**
 * The kept host rankings (planner/host-ranking.ts) against scoring every candidate afresh: for every VM
 * they cover, in a ledger that VMs join and leave and whose capacity scales change as a plan's do, the
 * hosts they offer, in the order they offer them, are the admitted candidates sorted by score, then
 * index — what the placer computed before, and what keeps placements byte for byte as they were.
 */
import { describe, expect, it } from 'vitest';
import { BENCH_SEED, generateFleet } from '../../bench/generate-fleet';
import { loadFleetFromString } from '../../fleet/index';
import { buildContext, type PlanContext, type VmFacts } from '../../planner/context';
import { admitsOnCandidate } from '../../planner/filters';
import type { RefusalMark, RefusalMemory } from '../../planner/host-ranking';
import { Ledger } from '../../planner/ledger';
import { Placer } from '../../planner/placer';
import { mulberry32 } from '../../planner/random';
import { totalScore } from '../../planner/weighers';
import { fleet, host, vm as vmSpec } from './fixtures';

/** The admitted candidates of `vm`, best first: the order a full scoring and a sort give. */
function sortedByScore(placer: Placer, vm: VmFacts, exclude: number, usedOnly: boolean): number[] {
  const { ctx, ledger } = placer;
  return [...placer.candidates.of(vm)]
    .filter((h) => h !== exclude && (!usedOnly || ledger.tenants[h]! > 0) && admitsOnCandidate(ctx, ledger, vm, ctx.hosts[h]!))
    .map((h) => ({ h, score: totalScore(ctx, ledger, vm, ctx.hosts[h]!) }))
    .sort((a, b) => b.score - a.score || a.h - b.h)
    .map(({ h }) => h);
}

function contextOf(hosts: number, vms: number, seed: number, strategy: 'pack' | 'spread'): { ctx: PlanContext; ledger: Ledger; placer: Placer } {
  const loaded = loadFleetFromString(generateFleet({ hosts, vms, seed, strategy }).text, 'ranking.yaml');
  if (!loaded.ok) throw new Error(loaded.problems[0]?.message);
  const ctx = buildContext(loaded.fleet);
  const ledger = new Ledger(ctx);
  return { ctx, ledger, placer: new Placer(ctx, ledger) };
}

describe('host rankings', () => {
  it.each([
    [12, 150, 0, 'pack'],
    [20, 300, 1, 'pack'],
    [16, 250, 2, 'spread'],
    [40, 600, 3, 'pack'],
  ] as const)('offer %i hosts to %i VMs in the order a full scoring sorts them (seed +%i, %s)', (hosts, vms, seedOffset, strategy) => {
    const { ctx, ledger, placer } = contextOf(hosts, vms, BENCH_SEED + seedOffset, strategy);
    const random = mulberry32(BENCH_SEED + seedOffset);
    let compared = 0;
    let refused = 0;
    for (const vm of ctx.vms) {
      // Now and then a placed VM leaves (local search moves VMs back and forth), or a capacity scale changes.
      const roll = random();
      if (roll < 0.1) {
        const placed = ctx.vms.filter((v) => ledger.hostOf[v.index]! >= 0);
        if (placed.length > 0) ledger.unassign(placed[Math.floor(random() * placed.length)]!.index);
      } else if (roll < 0.13) {
        ledger.scaleCapacity(Math.floor(random() * ctx.hosts.length), random() < 0.5 ? 0.75 : 1);
      }
      if (!placer.rankings.covers(vm)) continue;
      const list = placer.candidates.of(vm);
      for (const usedOnly of [false, true]) {
        const exclude = random() < 0.3 && list.length > 0 ? list[Math.floor(random() * list.length)]! : -1;
        const expected = sortedByScore(placer, vm, exclude, usedOnly);
        // The guard refuses the first `refusals` hosts offered.
        const refusals = Math.floor(random() * 4);
        const asked: number[] = [];
        const chosen = placer.rankings.firstAccepted(vm, list, exclude, usedOnly, (h) => {
          asked.push(h);
          return asked.length > refusals;
        });
        expect(asked).toEqual(expected.slice(0, refusals + 1));
        expect(chosen).toBe(expected[refusals] ?? -1);
        compared += 1;
        refused += Math.min(refusals, expected.length);
      }
      const best = sortedByScore(placer, vm, -1, false)[0];
      if (best !== undefined) ledger.assign(vm.index, best);
    }
    expect(compared).toBeGreaterThan(vms);
    expect(refused).toBeGreaterThan(0);
    expect(ledger.hostOf.filter((h) => h >= 0).length).toBeGreaterThan(vms / 2);
  });

  it('leave to the full scoring the VMs whose score or admission depends on more than their demand', () => {
    const f = fleet({
      hosts: [host('kvm-1'), host('kvm-2')],
      vms: [
        vmSpec('plain'),
        vmSpec('hard-1', { antiAffinity: 'db' }),
        vmSpec('soft-1', { softAntiAffinity: 'db' }),
        vmSpec('pair-1', { affinity: 'pair' }),
        vmSpec('pair-2', { affinity: 'pair' }),
      ],
      strategy: 'pack',
    });
    const ctx = buildContext(f);
    const ledger = new Ledger(ctx);
    const { rankings } = new Placer(ctx, ledger);
    const byName = (name: string): VmFacts => ctx.vms[ctx.vmIndex.get(name)!]!;
    expect(rankings.covers(byName('plain'))).toBe(true);
    expect(rankings.covers(byName('soft-1'))).toBe(false);
    // A hard member is covered (its group's hosts are masked) until a soft member of its group is placed.
    expect(rankings.covers(byName('hard-1'))).toBe(true);
    ledger.assign(byName('soft-1').index, 0);
    expect(rankings.covers(byName('hard-1'))).toBe(false);
    // An affinity member is covered until its group is placed somewhere.
    expect(rankings.covers(byName('pair-2'))).toBe(true);
    ledger.assign(byName('pair-1').index, 1);
    expect(rankings.covers(byName('pair-2'))).toBe(false);
    // Spreading scores a grouped VM by its group's zones; a lock scores the locked host up.
    const spread = buildContext(f, { strategy: 'spread' });
    expect(new Placer(spread, new Ledger(spread)).rankings.covers(spread.vms[byName('hard-1').index]!)).toBe(false);
    expect(new Placer(spread, new Ledger(spread)).rankings.covers(spread.vms[byName('plain').index]!)).toBe(true);
    const locked = buildContext(f, { locked: { plain: 'kvm-2' } });
    expect(new Placer(locked, new Ledger(locked)).rankings.covers(locked.vms[byName('plain').index]!)).toBe(false);
  });

  it('keep a host an acceptance test refused out of later queries while its memory refuses the VM asking alike, and offer it again once not', () => {
    const f = fleet({
      hosts: ['kvm-1', 'kvm-2', 'kvm-3', 'kvm-4'].map((n) => host(n)),
      vms: [vmSpec('fill-1', { vcpus: 8 }), vmSpec('fill-2', { vcpus: 4 }), vmSpec('fill-3', { vcpus: 2 }), ...['a', 'b', 'c', 'd'].map((n) => vmSpec(n))],
      strategy: 'pack',
    });
    const ctx = buildContext(f);
    const ledger = new Ledger(ctx);
    const placer = new Placer(ctx, ledger);
    ['fill-1', 'fill-2', 'fill-3'].forEach((n, h) => ledger.assign(ctx.vmIndex.get(n)!, h));
    const byName = (name: string): VmFacts => ctx.vms[ctx.vmIndex.get(name)!]!;
    // A memory keying VMs as the test says, whose refusals hold while `valid`.
    const keyOf = new Map([['a', 1], ['b', 1], ['c', 2], ['d', 1]].map(([n, k]) => [ctx.vmIndex.get(n as string)!, k as number]));
    let valid = true;
    let last: RefusalMark | undefined;
    const memory: RefusalMemory = {
      lastRefusal: () => last,
      refusesAlike: (mark, v) => valid && mark.key === keyOf.get(v),
    };
    const query = (name: string, refuse: readonly number[]) => {
      const asked: number[] = [];
      const vm = byName(name);
      const chosen = placer.rankings.firstAccepted(vm, placer.candidates.of(vm), -1, false, (h) => {
        asked.push(h);
        last = refuse.includes(h) ? { key: keyOf.get(vm.index)! } : undefined;
        return last === undefined;
      }, memory);
      return { asked, chosen };
    };
    // The order every query of these VMs alike offers the hosts in (nothing is placed meanwhile).
    const [first, second, third] = sortedByScore(placer, byName('a'), -1, false) as [number, number, number];
    // a: the two best hosts refused, the third taken.
    expect(query('a', [first, second])).toEqual({ asked: [first, second, third], chosen: third });
    // b is keyed as a: not offered them again.
    expect(query('b', [first, second])).toEqual({ asked: [third], chosen: third });
    // c is not: offered them again, in order.
    expect(query('c', [])).toEqual({ asked: [first], chosen: first });
    // d is keyed as a, but the refusals went back with c's query: offered the first again, then the second.
    expect(query('d', [first])).toEqual({ asked: [first, second], chosen: second });
    // Once the memory says its refusals no longer hold, the first is offered again.
    valid = false;
    expect(query('d', [])).toEqual({ asked: [first], chosen: first });
  });
});
