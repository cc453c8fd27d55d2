/**
 * The headroom guard's verdicts are `poolHeadroom`'s, trial by trial, also where it answers from a
 * refusal it remembers for another VM (planner/headroom-guard.ts keys them by `EvacueeKeys`, so a refusal
 * stands for every VM alike as an evacuee on the same pool contents, a VM of an anti-affinity group no
 * member holds alike with one of no group).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildContext, type PlanContext } from '../../planner/context';
import { firstFailure } from '../../planner/filters';
import { EvacueeKeys, poolHeadroom, poolMembers } from '../../planner/headroom';
import { HeadroomGuard } from '../../planner/headroom-guard';
import type { RefusalMark } from '../../planner/host-ranking';
import type { Fleet } from '../../fleet/model';
import { Ledger } from '../../planner/ledger';
import { fleet, GiB, host, pool, randomPoolFleet, vm } from './fixtures';

const SEED = 20261130;

type Kind = 'plain' | 'hugepages' | 'isolated';

interface GuardCase {
  readonly reserve: 'n+1' | 'n+2';
  readonly hosts: readonly { readonly cpus: number; readonly memoryGiB: number }[];
  /**
   * In name order (so in evacuation order among VMs of one size): VMs to place first on member `on`
   * where the filters and the pool's headroom let them, and candidates (`on` -1, or refused there).
   */
  readonly vms: readonly { readonly vcpus: number; readonly memoryGiB: number; readonly group?: string; readonly kind: Kind; readonly on: number }[];
  /** Trials: candidate (index among the candidates), member, and whether the candidate then stays there. */
  readonly trials: readonly { readonly candidate: number; readonly member: number; readonly stay: boolean }[];
}

const caseArb: fc.Arbitrary<GuardCase> = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.record({
    reserve: fc.constantFrom('n+1', 'n+2') as fc.Arbitrary<'n+1' | 'n+2'>,
    hosts: fc.array(fc.record({ cpus: fc.constantFrom(8, 16, 32), memoryGiB: fc.constantFrom(16, 32, 64) }), { minLength: n, maxLength: n }),
    // Few sizes and kinds, so that candidates alike (and VMs of their size but another kind between them) abound.
    vms: fc.array(
      fc.record({
        vcpus: fc.constantFrom(1, 4),
        memoryGiB: fc.constantFrom(2, 8),
        group: fc.constantFrom(undefined, undefined, undefined, 'a', 'b'),
        kind: fc.constantFrom('plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'hugepages', 'isolated') as fc.Arbitrary<Kind>,
        on: fc.integer({ min: -n, max: n - 1 }).map((on) => Math.max(on, -1)),
      }),
      { minLength: 8, maxLength: 48, size: 'max' },
    ),
    trials: fc.array(fc.record({ candidate: fc.nat(), member: fc.nat({ max: n - 1 }), stay: fc.boolean() }), { minLength: 10, maxLength: 80, size: 'max' }),
  }),
);

function build(c: GuardCase) {
  const { fleet: f } = randomPoolFleet(c, { hugepageCount: 2048, inPool: false, reserve: c.reserve });
  const ctx = buildContext(f);
  const ledger = new Ledger(ctx);
  const p = ctx.migrationPools.get('p')!;
  // A ledger the guard can meet: every VM where the filters admit it, and the pool's headroom kept.
  c.vms.forEach((v, i) => {
    if (v.on >= 0 && admits(ctx, ledger, i, v.on)) {
      ledger.assign(i, v.on);
      if (!poolHeadroom(ctx, ledger, p).satisfied) ledger.unassign(i);
    }
  });
  const candidates = c.vms.flatMap((_, i) => (ledger.hostOf[i] === -1 ? [i] : []));
  return { ctx, ledger, p, members: poolMembers(ctx, p), candidates };
}

/** A fleet's planner context, an empty ledger on it, and a VM's index by name: the hand-built cases' start. */
function emptyLedger(f: Fleet) {
  const ctx = buildContext(f);
  return { ctx, ledger: new Ledger(ctx), index: (name: string): number => ctx.vmIndex.get(name)! };
}

/** Whether the filters admit VM `v` on host `h`: the guard is asked of those placements only. */
function admits(ctx: PlanContext, ledger: Ledger, v: number, h: number): boolean {
  return firstFailure(ctx, ledger, ctx.vms[v]!, ctx.hosts[h]!) === undefined;
}

describe('headroom guard', () => {
  it("answers every trial as poolHeadroom does, remembered refusals and the marks that stand for them included, while the pool's contents change", () => {
    let trials = 0;
    let fromOther = 0;
    /** Trials on a member where a refusal mark the guard gave earlier says it refuses the VM alike. */
    let markedAlike = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ctx, ledger, p, members, candidates } = build(c);
        if (candidates.length === 0) return;
        const guard = new HeadroomGuard(ctx, ledger);
        guard.guarded.add('p');
        /** Refused (contents, key, member) triples so far and the VM refused: a later trial of one is answered from memory. */
        const refused = new Map<string, number>();
        /** The marks of the guard's refusals (`lastRefusal`, as the host rankings keep them) and the members refused. */
        const marks = new Map<RefusalMark, Set<number>>();
        for (const t of c.trials) {
          const v = candidates[t.candidate % candidates.length]!;
          const h = members[t.member]!;
          if (ledger.hostOf[v] !== -1 || !admits(ctx, ledger, v, h)) continue;
          const trial = `${members.map((m) => [...ledger.vmsOn[m]!].sort().join(',')).join('|')} ${new EvacueeKeys(ctx, ledger, members).of(v)} ${h}`;
          ledger.assign(v, h);
          const expected = poolHeadroom(ctx, ledger, p).satisfied;
          ledger.unassign(v);
          trials += 1;
          if (refused.has(trial) && refused.get(trial) !== v) fromOther += 1;
          for (const [mark, hosts] of marks) {
            if (!hosts.has(h) || !guard.refusesAlike(mark, v)) continue;
            markedAlike += 1;
            expect(expected, `${ctx.vms[v]!.vm.name} on ${ctx.hosts[h]!.host.name}, refused alike`).toBe(false);
          }
          expect(guard.keepsHeadroom(v, h), `${ctx.vms[v]!.vm.name} on ${ctx.hosts[h]!.host.name}`).toBe(expected);
          const mark = guard.lastRefusal();
          expect(mark === undefined).toBe(expected);
          if (mark !== undefined) marks.set(mark, (marks.get(mark) ?? new Set()).add(h));
          if (!expected) refused.set(trial, v);
          // As the planner does: a placement the guard keeps may stay, and the pool stays satisfied.
          if (t.stay && expected) ledger.assign(v, h);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    // Not vacuous: many trials are answered from a refusal remembered for another VM, and many are refused by a mark's word.
    expect(fromOther).toBeGreaterThan(trials / 20);
    expect(markedAlike).toBeGreaterThan(trials / 5);
  });

  it('gives two VMs the same key only when either on any member (that the filters admit both on) gives the same verdict, and says two VMs are alike only when they have one key', () => {
    let pairs = 0;
    /** Pairs of one key whose anti-affinity groups differ (a VM of a group none on the members holds is keyed as one without). */
    let regrouped = 0;
    let alikePairs = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ctx, ledger, p, members, candidates } = build(c);
        const verdicts = (v: number) =>
          members.map((h) => {
            if (!admits(ctx, ledger, v, h)) return undefined;
            ledger.assign(v, h);
            const satisfied = poolHeadroom(ctx, ledger, p).satisfied;
            ledger.unassign(v);
            return satisfied;
          });
        const keys = new EvacueeKeys(ctx, ledger, members);
        // `alike` says two VMs have one key only when they do.
        for (const a of candidates) {
          for (const b of candidates) {
            if (a === b || !keys.alike(a, b)) continue;
            alikePairs += 1;
            expect(keys.of(a), `${ctx.vms[a]!.vm.name} alike ${ctx.vms[b]!.vm.name}`).toBe(keys.of(b));
          }
        }
        const byKey = new Map<number, { readonly verdicts: (boolean | undefined)[]; readonly group: string | undefined }>();
        for (const v of candidates) {
          const key = new EvacueeKeys(ctx, ledger, members).of(v);
          const seen = byKey.get(key);
          const group = ctx.vms[v]!.vm.antiAffinity;
          if (seen === undefined) {
            byKey.set(key, { verdicts: verdicts(v), group });
          } else {
            pairs += 1;
            if (seen.group !== group) regrouped += 1;
            expect(verdicts(v), ctx.vms[v]!.vm.name).toEqual(seen.verdicts);
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(pairs).toBeGreaterThan(100);
    expect(regrouped).toBeGreaterThan(200);
    expect(alikePairs).toBeGreaterThan(1_000);
  });

  it('keys apart two VMs alike when a VM of their size but another kind lies between them in evacuation order, since first-fit may then fail for one only', () => {
    // a, b and c are of one size, so evacuated in name order; b is in group g, which y keeps off kvm-2.
    const f = fleet({
      hosts: ['kvm-0', 'kvm-1', 'kvm-2'].map((n) => host(n, { cpus: 64, memoryMiB: 48 * GiB })),
      vms: [
        vm('a', { vcpus: 1, memoryMiB: 8 * GiB }),
        vm('b', { vcpus: 1, memoryMiB: 8 * GiB, antiAffinity: 'g' }),
        vm('c', { vcpus: 1, memoryMiB: 8 * GiB }),
        vm('filler', { vcpus: 1, memoryMiB: 36 * GiB }),
        vm('y', { vcpus: 1, memoryMiB: 2 * GiB, antiAffinity: 'g' }),
      ],
      migrationPools: [pool('p', ['kvm-0', 'kvm-1', 'kvm-2'], { reserve: 'n+1' })],
    });
    const { ctx, ledger, index } = emptyLedger(f);
    ledger.assign(index('b'), 0);
    ledger.assign(index('filler'), 1);
    ledger.assign(index('y'), 2);
    const p = ctx.migrationPools.get('p')!;
    const members = poolMembers(ctx, p);
    const verdict = (name: string): boolean => {
      ledger.assign(index(name), 0);
      const satisfied = poolHeadroom(ctx, ledger, p).satisfied;
      ledger.unassign(index(name));
      return satisfied;
    };
    // Losing kvm-0 with a on it: a goes first and takes kvm-1's last room, b finds none (kvm-2 holds y).
    // With c instead, b goes first to kvm-1 and c to kvm-2.
    expect(verdict('a')).toBe(false);
    expect(verdict('c')).toBe(true);
    expect(new EvacueeKeys(ctx, ledger, members).of(index('a'))).not.toBe(new EvacueeKeys(ctx, ledger, members).of(index('c')));
    const guard = new HeadroomGuard(ctx, ledger);
    guard.guarded.add('p');
    expect(guard.keepsHeadroom(index('a'), 0)).toBe(false);
    expect(guard.keepsHeadroom(index('c'), 0)).toBe(true);
    // Off the pool, b no longer separates them.
    ledger.unassign(index('b'));
    expect(new EvacueeKeys(ctx, ledger, members).of(index('a'))).toBe(new EvacueeKeys(ctx, ledger, members).of(index('c')));
  });

  it('finds no refuge for a member that runs an isolated VM beside another, where the filters never put one but the verdict must still be poolHeadroom’s', () => {
    // An isolated VM runs alone, so an empty member takes one of two isolated VMs, not both
    // (evacuate: an isolated evacuee needs an empty survivor).
    const f = fleet({
      hosts: ['kvm-0', 'kvm-1', 'kvm-2'].map((n) => host(n, { cpus: 64, memoryMiB: 64 * GiB })),
      vms: [
        vm('i1', { vcpus: 2, memoryMiB: 4 * GiB, securityClass: 'isolated' }),
        vm('i2', { vcpus: 2, memoryMiB: 4 * GiB, securityClass: 'isolated' }),
        vm('plain', { vcpus: 2, memoryMiB: 4 * GiB }),
      ],
      migrationPools: [pool('p', ['kvm-0', 'kvm-1', 'kvm-2'], { reserve: 'n+1' })],
    });
    const { ctx, ledger, index } = emptyLedger(f);
    // Both isolated VMs on kvm-0, bypassing the filters; kvm-1 empty; the trial puts `plain` on kvm-2.
    ledger.assign(index('i1'), 0);
    ledger.assign(index('i2'), 0);
    ledger.assign(index('plain'), 2);
    const expected = poolHeadroom(ctx, ledger, ctx.migrationPools.get('p')!).satisfied;
    ledger.unassign(index('plain'));
    expect(expected).toBe(false);
    const guard = new HeadroomGuard(ctx, ledger);
    guard.guarded.add('p');
    expect(guard.keepsHeadroom(index('plain'), 2)).toBe(expected);
  });

  it("keys a VM whose anti-affinity group is on no member as the VM alike without a group, and apart once a member holds the group", () => {
    const f = fleet({
      hosts: ['kvm-0', 'kvm-1', 'kvm-2', 'kvm-3'].map((n) => host(n, { cpus: 64, memoryMiB: 48 * GiB })),
      vms: [
        vm('a', { vcpus: 1, memoryMiB: 8 * GiB }),
        vm('b', { vcpus: 1, memoryMiB: 8 * GiB, antiAffinity: 'g' }),
        vm('c', { vcpus: 1, memoryMiB: 8 * GiB, antiAffinity: 'h' }),
        // Alone in its size and group: no VM alike without a group exists, yet it is keyed as one.
        vm('d', { vcpus: 2, memoryMiB: 8 * GiB, antiAffinity: 'g' }),
        vm('e', { vcpus: 2, memoryMiB: 8 * GiB, antiAffinity: 'h' }),
        vm('y', { vcpus: 1, memoryMiB: 2 * GiB, antiAffinity: 'g' }),
      ],
      migrationPools: [pool('p', ['kvm-0', 'kvm-1', 'kvm-2'], { reserve: 'n+1' })],
    });
    const { ctx, ledger, index } = emptyLedger(f);
    const members = poolMembers(ctx, ctx.migrationPools.get('p')!);
    const key = (name: string): number => new EvacueeKeys(ctx, ledger, members).of(index(name));
    // y (group g) runs off the pool: no member holds g or h.
    ledger.assign(index('y'), 3);
    expect(key('b')).toBe(key('a'));
    expect(key('c')).toBe(key('a'));
    expect(key('d')).toBe(key('e'));
    expect(key('d')).not.toBe(key('a'));
    // y on a member: b and d are of a group the pool holds and keyed apart; c and e still are not.
    ledger.unassign(index('y'));
    ledger.assign(index('y'), 2);
    expect(key('b')).not.toBe(key('a'));
    expect(key('c')).toBe(key('a'));
    expect(key('d')).not.toBe(key('e'));
  });
});
