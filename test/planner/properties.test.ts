/** Property tests on random fleets (seeded): every hard rule holds, plans are stable and deterministic. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fleet, Host, MigrationPool, Vm } from '../../fleet/model';
import { hostCapacity } from '../../planner/capacity';
import { buildContext } from '../../planner/context';
import { agreesFor, evacuate, poolMembers, RESERVE_HOSTS, type Evacuation } from '../../planner/headroom';
import { Ledger } from '../../planner/ledger';
import { plan } from '../../planner/plan';
import type { PlanResult } from '../../planner/types';
import { fleet, GiB, host, vm } from './fixtures';

const SEED = 20240601;
const RUNS = 300;

const hostArb = (i: number) =>
  fc.record({
    xen: fc.boolean(),
    cpus: fc.constantFrom(4, 8, 16, 32),
    memoryGiB: fc.constantFrom(8, 16, 32, 64),
    zone: fc.constantFrom(undefined, 'a', 'b'),
    label: fc.constantFrom(undefined, undefined, undefined, 'sensitive', 'isolated'),
    overcommit: fc.constantFrom(1, 2, 4),
  }).map((h): Host => {
    const name = `${h.xen ? 'xen' : 'kvm'}-${i}`;
    return host(name, {
      hypervisor: h.xen ? 'xen' : 'kvm',
      cpus: h.cpus,
      memoryMiB: h.memoryGiB * GiB,
      numaNodes: [{ cpus: h.cpus / 2, memoryMiB: (h.memoryGiB * GiB) / 2 }, { cpus: h.cpus / 2, memoryMiB: (h.memoryGiB * GiB) / 2 }],
      overcommit: { cpu: h.overcommit, memory: 1 },
      cpuModel: h.cpus >= 16 ? 'EPYC' : 'Xeon',
      ...(h.zone ? { zone: h.zone } : {}),
      ...(h.label ? { labels: { securityClass: h.label } } : {}),
    });
  });

const vmArb = (i: number, poolNames: readonly string[], hostNames: readonly string[]) =>
  fc.record({
    vcpus: fc.constantFrom(1, 2, 4, 8),
    memoryGiB: fc.constantFrom(1, 2, 4, 8, 16),
    hypervisor: fc.constantFrom('auto', 'auto', 'kvm', 'xen') as fc.Arbitrary<Vm['hypervisor']>,
    security: fc.constantFrom('general', 'general', 'general', 'general', 'sensitive', 'isolated') as fc.Arbitrary<Vm['securityClass']>,
    anti: fc.constantFrom(undefined, undefined, 'w', 'db'),
    affinity: fc.constantFrom(undefined, undefined, undefined, undefined, 'pair'),
    soft: fc.constantFrom(undefined, 's'),
    pool: fc.constantFrom(undefined, undefined, ...poolNames),
    pin: fc.constantFrom(undefined, undefined, undefined, undefined, undefined, undefined, ...hostNames),
    zone: fc.constantFrom(undefined, undefined, undefined, 'a'),
    numa: fc.constantFrom('none', 'none', 'strict') as fc.Arbitrary<Vm['numa']>,
    passthrough: fc.boolean(),
  }).map((v): Vm =>
    vm(`vm-${String(i).padStart(3, '0')}`, {
      vcpus: v.vcpus,
      memoryMiB: v.memoryGiB * GiB,
      hypervisor: v.hypervisor,
      securityClass: v.security,
      numa: v.numa,
      ...(v.passthrough ? { cpuMode: 'host-passthrough' as const } : {}),
      ...(v.anti ? { antiAffinity: v.anti } : {}),
      ...(v.affinity ? { affinity: v.affinity } : {}),
      ...(v.soft ? { softAntiAffinity: v.soft } : {}),
      ...(v.pool ? { migrationPool: v.pool } : {}),
      ...(v.pin ? { host: v.pin } : {}),
      ...(v.zone ? { zone: v.zone } : {}),
    }),
  );

const fleetArb: fc.Arbitrary<Fleet> = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => hostArb(i))))
  .chain((hosts) => {
    const kvm = hosts.filter((h) => h.hypervisor === 'kvm').map((h) => h.name);
    const xen = hosts.filter((h) => h.hypervisor === 'xen').map((h) => h.name);
    return fc
      .record({
        kvmReserve: fc.constantFrom('none', 'n+1', 'n+2') as fc.Arbitrary<MigrationPool['reserve']>,
        xenReserve: fc.constantFrom('none', 'n+1') as fc.Arbitrary<MigrationPool['reserve']>,
        strategy: fc.constantFrom('spread', 'pack') as fc.Arbitrary<'spread' | 'pack'>,
        count: fc.integer({ min: 0, max: 30 }),
      })
      .chain(({ kvmReserve, xenReserve, strategy, count }) => {
        const pools: MigrationPool[] = [];
        if (kvm.length > 0) pools.push({ name: 'kp', hypervisor: 'kvm', hosts: kvm, cpuModel: 'host-model', reserve: kvmReserve, sharedStorage: 'nfs' });
        if (xen.length > 0) pools.push({ name: 'xp', hypervisor: 'xen', hosts: xen, cpuModel: 'host-model', reserve: xenReserve });
        const names = hosts.map((h) => h.name);
        return fc
          .tuple(...Array.from({ length: count }, (_, i) => vmArb(i, pools.map((p) => p.name), names)))
          .map((vms) => fleet({ hosts, vms, migrationPools: pools, strategy }));
      });
  });

/** Independent check of every hard rule on a result; returns the broken ones. */
function violations(f: Fleet, result: PlanResult): string[] {
  const broken: string[] = [];
  const hosts = new Map(f.hosts.map((h) => [h.name, h]));
  const vms = new Map(f.vms.map((v) => [v.name, v]));
  const on = new Map<string, Vm[]>();
  for (const [vmName, hostName] of Object.entries(result.placements)) {
    const v = vms.get(vmName)!;
    const h = hosts.get(hostName);
    if (!h) {
      broken.push(`${vmName} on unknown host ${hostName}`);
      continue;
    }
    on.set(hostName, [...(on.get(hostName) ?? []), v]);
    if (v.host !== undefined && v.host !== hostName) broken.push(`${vmName} pinned to ${v.host}, on ${hostName}`);
    if (v.hypervisor !== 'auto' && v.hypervisor !== h.hypervisor) broken.push(`${vmName} needs ${v.hypervisor}`);
    if (v.migrationPool && !f.migrationPools.find((p) => p.name === v.migrationPool)!.hosts.includes(hostName)) broken.push(`${vmName} outside pool`);
    if (v.zone && v.zone !== h.zone) broken.push(`${vmName} outside zone`);
  }
  for (const [hostName, list] of on) {
    const capacity = hostCapacity(hosts.get(hostName)!);
    const cpu = list.reduce((s, v) => s + v.vcpus, 0);
    const memory = list.reduce((s, v) => s + v.memoryMiB, 0);
    if (cpu > capacity.cpu || memory > capacity.memoryMiB) broken.push(`${hostName} over capacity`);
    const groups = list.flatMap((v) => (v.antiAffinity ? [v.antiAffinity] : []));
    if (new Set(groups).size !== groups.length) broken.push(`${hostName} breaks anti-affinity`);
    if (list.some((v) => v.securityClass === 'isolated') && list.length > 1) broken.push(`${hostName} shares an isolated VM`);
  }
  const affinityHosts = new Set(f.vms.filter((v) => v.affinity && result.placements[v.name]).map((v) => result.placements[v.name]));
  if (affinityHosts.size > 1) broken.push('affinity group split');
  return broken;
}

/** Every satisfied pool really has an evacuation for each failure set, checked move by move. */
function falseHeadroomClaims(f: Fleet, result: PlanResult): string[] {
  const ctx = buildContext(f);
  const ledger = new Ledger(ctx);
  for (const [v, h] of Object.entries(result.placements)) ledger.assign(ctx.vmIndex.get(v)!, ctx.hostIndex.get(h)!);
  const wrong: string[] = [];
  for (const claim of result.pools) {
    const pool = ctx.migrationPools.get(claim.name)!;
    const k = RESERVE_HOSTS[pool.reserve];
    if (!claim.satisfied || k === 0) continue;
    const members = poolMembers(ctx, pool);
    const sets = members.length <= k ? [members] : k === 1 ? members.map((m) => [m]) : members.flatMap((a, i) => members.slice(i + 1).map((b) => [a, b]));
    for (const failed of sets) {
      const survivors = members.filter((m) => !failed.includes(m));
      const leaving = failed.flatMap((h) => [...ledger.vmsOn[h]!]);
      const moves = movesOf(survivors, evacuate(ctx, ledger, survivors, failed));
      if (leaving.some((v) => !survivors.includes(moves.get(v) ?? -1))) wrong.push(`${claim.name}: a VM of ${failed} has nowhere to go`);
      for (const s of survivors) {
        const arriving = leaving.filter((v) => moves.get(v) === s).map((v) => ctx.vms[v]!.vm);
        const staying = [...ledger.vmsOn[s]!].map((v) => ctx.vms[v]!.vm);
        const all = [...staying, ...arriving];
        const cap = ctx.hosts[s]!.capacity;
        if (all.reduce((a, v) => a + v.vcpus, 0) > cap.cpu || all.reduce((a, v) => a + v.memoryMiB, 0) > cap.memoryMiB) wrong.push(`${claim.name}: over capacity`);
        const groups = all.flatMap((v) => (v.antiAffinity ? [v.antiAffinity] : []));
        if (new Set(groups).size !== groups.length) wrong.push(`${claim.name}: evacuation breaks anti-affinity`);
        if (all.some((v) => v.securityClass === 'isolated') && all.length > 1) wrong.push(`${claim.name}: evacuation shares an isolated VM`);
      }
    }
  }
  return wrong;
}

const params = { seed: SEED, numRuns: RUNS };

/** VM index → host index an evacuation moves it to, in evacuation order (VMs that found a host). */
function movesOf(survivors: readonly number[], evacuation: Evacuation): Map<number, number> {
  const moves = new Map<number, number>();
  evacuation.leaving.forEach((v, k) => {
    const slot = evacuation.slots[k]!;
    if (slot >= 0) moves.set(v, survivors[slot]!);
  });
  return moves;
}

/**
 * The first-fit decreasing evacuation as it was written before the rank-sorted one (issue 21): leaving
 * VMs sorted with a comparator, each put on the first survivor that admits it. The planner's `evacuate`
 * must give exactly these moves and verdicts.
 */
function referenceEvacuate(ctx: ReturnType<typeof buildContext>, ledger: Ledger, survivors: readonly number[], failed: readonly number[]): { ok: boolean; moves: Map<number, number> } {
  const free = survivors.map((h) => ({ cpu: ctx.hosts[h]!.capacity.cpu - ledger.cpuUsed[h]!, memory: ctx.hosts[h]!.capacity.memoryMiB - ledger.memoryUsed[h]!, tenants: 0, isolated: 0, groups: new Set<string>() }));
  const leaving = failed.flatMap((h) => [...ledger.vmsOn[h]!]).sort((a, b) => {
    const va = ctx.vms[a]!;
    const vb = ctx.vms[b]!;
    return vb.memoryMiB - va.memoryMiB || vb.vm.vcpus - va.vm.vcpus || a - b;
  });
  const moves = new Map<number, number>();
  let ok = true;
  // Memory as the planner charges it (guest RAM plus per-guest overhead); these fleets declare no hugepages.
  for (const v of leaving) {
    const { vm, memoryMiB } = ctx.vms[v]!;
    const slot = free.findIndex((f, s) => {
      const h = survivors[s]!;
      if (f.cpu < vm.vcpus || f.memory < memoryMiB) return false;
      if (vm.antiAffinity !== undefined && (f.groups.has(vm.antiAffinity) || ledger.antiAffinity.get(vm.antiAffinity)?.has(h))) return false;
      return vm.securityClass === 'isolated' ? ledger.tenants[h] === 0 && f.tenants === 0 : ledger.isolated[h] === 0 && f.isolated === 0;
    });
    if (slot < 0) {
      ok = false;
      continue;
    }
    const f = free[slot]!;
    f.cpu -= vm.vcpus;
    f.memory -= memoryMiB;
    f.tenants += 1;
    if (vm.securityClass === 'isolated') f.isolated += 1;
    if (vm.antiAffinity !== undefined) f.groups.add(vm.antiAffinity);
    moves.set(v, survivors[slot]!);
  }
  return { ok, moves };
}

describe('plan properties', () => {
  it('breaks no hard rule, never over-commits a host, never claims headroom it lacks, and keeps every reserve when planning afresh', () => {
    fc.assert(
      fc.property(fleetArb, (f) => {
        const result = plan(f);
        expect(violations(f, result)).toEqual([]);
        expect(falseHeadroomClaims(f, result)).toEqual([]);
        expect(result.pools.filter((p) => !p.satisfied)).toEqual([]);
        expect(Object.keys(result.placements).length + result.unplaced.length).toBe(f.vms.length);
        if (result.lowerBound > 0 && result.unplaced.length === 0) expect(result.hostsUsed).toBeGreaterThanOrEqual(result.lowerBound);
      }),
      params,
    );
  });

  it('evacuates exactly as the reference first-fit decreasing does, for every failure set of every pool', () => {
    fc.assert(
      fc.property(fleetArb, (f) => {
        const result = plan(f);
        const ctx = buildContext(f);
        const ledger = new Ledger(ctx);
        for (const [v, h] of Object.entries(result.placements)) ledger.assign(ctx.vmIndex.get(v)!, ctx.hostIndex.get(h)!);
        for (const pool of ctx.migrationPools.values()) {
          const members = poolMembers(ctx, pool);
          // Every pair and every single host, whatever the pool's reserve: more sets than the plan needs.
          const sets = [...members.map((m) => [m]), ...members.flatMap((a, i) => members.slice(i + 1).map((b) => [a, b]))];
          for (const failed of sets) {
            const survivors = members.filter((m) => !failed.includes(m));
            const got = evacuate(ctx, ledger, survivors, failed);
            const want = referenceEvacuate(ctx, ledger, survivors, failed);
            expect({ ok: got.ok, moves: [...movesOf(survivors, got)] }).toEqual({ ok: want.ok, moves: [...want.moves] });
          }
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('starts exactly from a remembered evacuation: after any moves of pool VMs, the same evacuation as from scratch', () => {
    fc.assert(
      fc.property(fleetArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }), (f, changes) => {
        const result = plan(f);
        const ctx = buildContext(f);
        const ledger = new Ledger(ctx);
        for (const [v, h] of Object.entries(result.placements)) ledger.assign(ctx.vmIndex.get(v)!, ctx.hostIndex.get(h)!);
        for (const pool of ctx.migrationPools.values()) {
          const members = poolMembers(ctx, pool);
          const vms = ctx.vms.filter((v) => v.vm.migrationPool === pool.name).map((v) => v.index);
          if (members.length < 2 || vms.length === 0) continue;
          const sets = [...members.map((m) => [m]), ...members.flatMap((a, i) => members.slice(i + 1).map((b) => [a, b]))];
          const contents = (m: number): number[] => [...ledger.vmsOn[m]!].sort((a, b) => a - b);
          const remembered = sets.map((failed) => {
            const survivors = members.filter((m) => !failed.includes(m));
            return {
              failed,
              survivors,
              evacuation: evacuate(ctx, ledger, survivors, failed),
              // As the headroom guard remembers it: stopped at the first VM no survivor admits.
              stopped: evacuate(ctx, ledger, survivors, failed, undefined, undefined, false, true),
              contents: members.map(contents),
            };
          });
          // Move, unplace or place pool VMs (capacity is not checked: evacuate judges any ledger).
          const log: [number, number][] = [];
          for (const [a, b] of changes) {
            const v = vms[a % vms.length]!;
            log.push([v, ledger.hostOf[v]!]);
            ledger.unassign(v);
            if (b % (members.length + 1) < members.length) ledger.assign(v, members[b % (members.length + 1)]!);
          }
          for (const { failed, survivors, evacuation, stopped, contents: then } of remembered) {
            const changed = Uint8Array.from(survivors, (m) => (JSON.stringify(contents(m)) === JSON.stringify(then[members.indexOf(m)]) ? 0 : 1));
            const agreed = Math.min(...survivors.map((_, s) => (changed[s] ? agreesFor(ctx, ledger, survivors, evacuation, s, evacuation.leaving.length) : evacuation.leaving.length)));
            const fresh = evacuate(ctx, ledger, survivors, failed);
            const resumed = evacuate(ctx, ledger, survivors, failed, evacuation, changed);
            expect(resumed).toEqual(fresh);
            const failedSame = failed.every((m) => JSON.stringify(contents(m)) === JSON.stringify(then[members.indexOf(m)]));
            // All survivors agreeing on every VM of unchanged failed hosts: first-fit makes the remembered
            // choices (the spare room is the survivors' now, so it may differ).
            const choices = (e: typeof fresh) => ({ ok: e.ok, leaving: [...e.leaving], slots: [...e.slots] });
            if (failedSame && agreed === evacuation.leaving.length) expect(choices(fresh)).toEqual(choices(evacuation));
            // A stopped evacuation as the reference: the same evacuation again, whole or stopped where it fails.
            expect(evacuate(ctx, ledger, survivors, failed, stopped, changed, failedSame)).toEqual(fresh);
            const stoppedAgain = evacuate(ctx, ledger, survivors, failed, stopped, changed, failedSame, true);
            const failsAt = fresh.slots.indexOf(-1);
            expect({ ok: stoppedAgain.ok, slots: [...stoppedAgain.slots] }).toEqual({ ok: fresh.ok, slots: failsAt < 0 ? [...fresh.slots] : fresh.slots.slice(0, failsAt + 1) });
          }
          for (let i = log.length - 1; i >= 0; i--) {
            const [v, from] = log[i]!;
            ledger.unassign(v);
            if (from >= 0) ledger.assign(v, from);
          }
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('gives the same bytes for the same input, whatever the order of hosts and VMs', () => {
    fc.assert(
      fc.property(fleetArb, (f) => {
        const once = JSON.stringify(plan(f));
        expect(JSON.stringify(plan(f))).toBe(once);
        expect(JSON.stringify(plan({ ...f, hosts: [...f.hosts].reverse(), vms: [...f.vms].reverse() }))).toBe(once);
      }),
      { ...params, numRuns: 100 },
    );
  });

  it('adding one VM moves none of the others', () => {
    fc.assert(
      fc.property(fleetArb, fc.integer({ min: 1, max: 8 }), (f, size) => {
        const before = plan(f);
        const grown: Fleet = { ...f, vms: [...f.vms, vm('zz-new', { vcpus: size, memoryMiB: size * GiB })] };
        const after = plan(grown, { version: 1, placements: before.placements });
        for (const [name, hostName] of Object.entries(before.placements)) expect(after.placements[name]).toBe(hostName);
        expect(after.moves).toEqual([]);
        expect(violations(grown, after)).toEqual([]);
        expect(falseHeadroomClaims(grown, after)).toEqual([]);
      }),
      params,
    );
  });

  it('removing a host moves only its VMs', () => {
    fc.assert(
      fc.property(fleetArb, fc.nat(), (f, pick) => {
        const before = plan(f);
        const gone = f.hosts[pick % f.hosts.length]!.name;
        const shrunk: Fleet = { ...f, hosts: f.hosts.filter((h) => h.name !== gone) };
        const after = plan(shrunk, { version: 1, placements: before.placements });
        for (const [name, hostName] of Object.entries(before.placements)) {
          if (hostName !== gone) expect(after.placements[name]).toBe(hostName);
        }
        for (const move of after.moves) {
          expect(move.from).toBe(gone);
          expect(move.reason).toBe(`host ${gone} no longer in the fleet`);
        }
        expect(violations(shrunk, after)).toEqual([]);
        expect(falseHeadroomClaims(shrunk, after)).toEqual([]);
      }),
      params,
    );
  });
});

/**
 * Whether the VMs on `failed` can go to `survivors` in any way at all, found by exhaustive search (no
 * first-fit): each survivor keeps its own VMs, takes arrivals within its capacity (memory as the planner
 * charges it, overhead included), never two VMs of one anti-affinity group, and an isolated VM only
 * alone.
 */
function someEvacuation(ctx: ReturnType<typeof buildContext>, ledger: Ledger, survivors: readonly number[], failed: readonly number[]): boolean {
  const leaving = failed.flatMap((h) => [...ledger.vmsOn[h]!]).sort((a, b) => ctx.vms[b]!.memoryMiB - ctx.vms[a]!.memoryMiB || a - b);
  const room = survivors.map((h) => ({
    cpu: ctx.hosts[h]!.capacity.cpu - [...ledger.vmsOn[h]!].reduce((sum, v) => sum + ctx.vms[v]!.vm.vcpus, 0),
    memory: ctx.hosts[h]!.capacity.memoryMiB - [...ledger.vmsOn[h]!].reduce((sum, v) => sum + ctx.vms[v]!.memoryMiB, 0),
    vms: [...ledger.vmsOn[h]!].map((v) => ctx.vms[v]!.vm),
  }));
  const place = (k: number): boolean => {
    if (k === leaving.length) return true;
    const { vm, memoryMiB } = ctx.vms[leaving[k]!]!;
    for (const r of room) {
      if (r.cpu < vm.vcpus || r.memory < memoryMiB) continue;
      if (vm.antiAffinity !== undefined && r.vms.some((other) => other.antiAffinity === vm.antiAffinity)) continue;
      if (vm.securityClass === 'isolated' ? r.vms.length > 0 : r.vms.some((other) => other.securityClass === 'isolated')) continue;
      r.cpu -= vm.vcpus;
      r.memory -= memoryMiB;
      r.vms.push(vm);
      const found = place(k + 1);
      r.cpu += vm.vcpus;
      r.memory += memoryMiB;
      r.vms.pop();
      if (found) return true;
    }
    return false;
  };
  return place(0);
}

describe('headroom guard', () => {
  // Every KVM pool n+2, every Xen pool n+1: the guard decides every placement on a pool member.
  const reservedFleetArb = fleetArb.map((f): Fleet => ({
    ...f,
    migrationPools: f.migrationPools.map((p) => ({ ...p, reserve: p.hypervisor === 'kvm' ? ('n+2' as const) : ('n+1' as const) })),
  }));

  it('admits only placements that survive the loss of any k hosts of their pool, by exhaustive search', () => {
    fc.assert(
      fc.property(reservedFleetArb, (f) => {
        const result = plan(f);
        const ctx = buildContext(f);
        const ledger = new Ledger(ctx);
        for (const [v, h] of Object.entries(result.placements)) ledger.assign(ctx.vmIndex.get(v)!, ctx.hostIndex.get(h)!);
        for (const claim of result.pools) {
          // Planning afresh, the guard keeps every reserve (locked VMs could break one; there are none).
          expect(claim.satisfied).toBe(true);
          const pool = ctx.migrationPools.get(claim.name)!;
          const k = RESERVE_HOSTS[pool.reserve];
          const members = poolMembers(ctx, pool);
          const sets = members.length <= k ? [members] : k === 1 ? members.map((m) => [m]) : members.flatMap((a, i) => members.slice(i + 1).map((b) => [a, b]));
          for (const failed of sets) {
            const survivors = members.filter((m) => !failed.includes(m));
            expect(someEvacuation(ctx, ledger, survivors, failed), `${claim.name} losing ${failed.map((h) => ctx.hosts[h]!.host.name).join(', ')}`).toBe(true);
          }
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

/** Fleets of several disjoint pools with pool-bound VMs and labelled hosts outside them: the lower bound's groups. */
const groupedFleetArb: fc.Arbitrary<Fleet> = fc
  .integer({ min: 2, max: 9 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => hostArb(i))))
  .chain((hosts) => {
    const pools: MigrationPool[] = [];
    for (const kind of ['kvm', 'xen'] as const) {
      const members = hosts.filter((h) => h.hypervisor === kind && h.labels['securityClass'] === undefined).map((h) => h.name);
      const half = Math.ceil(members.length / 2);
      for (const [i, part] of [members.slice(0, half), members.slice(half)].entries()) {
        if (part.length > 0) pools.push({ name: `${kind}-p${i}`, hypervisor: kind, hosts: part, cpuModel: 'host-model', reserve: i === 0 ? 'n+1' : 'none' });
      }
    }
    const names = hosts.map((h) => h.name);
    return fc
      .record({ strategy: fc.constantFrom('spread', 'pack') as fc.Arbitrary<'spread' | 'pack'>, count: fc.integer({ min: 0, max: 30 }) })
      .chain(({ strategy, count }) =>
        fc
          .tuple(...Array.from({ length: count }, (_, i) => vmArb(i, pools.map((p) => p.name), names)))
          .map((vms) => {
            // A pool VM takes its pool's kind, as the fleet validator requires.
            const kinds = new Map(pools.map((p) => [p.name, p.hypervisor]));
            const fixed = vms.map((v) => (v.migrationPool ? { ...v, hypervisor: kinds.get(v.migrationPool)! } : v));
            return fleet({ hosts, vms: fixed, migrationPools: pools, strategy });
          }),
      );
  });

describe('lower bound', () => {
  it('never exceeds the hosts a complete plan uses, with disjoint pools and labelled hosts', () => {
    fc.assert(
      fc.property(groupedFleetArb, (f) => {
        const result = plan(f);
        expect(violations(f, result)).toEqual([]);
        expect(falseHeadroomClaims(f, result)).toEqual([]);
        if (result.unplaced.length === 0) expect(result.hostsUsed).toBeGreaterThanOrEqual(result.lowerBound);
      }),
      params,
    );
  });
});
