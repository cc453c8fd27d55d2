/**
 * Migration-pool headroom (research CAP-N-PLUS-1): with reserve n+1 (n+2), for every host (pair of hosts)
 * of the pool, can the VMs it carries be re-placed on the remaining pool hosts? Re-placement is first-fit
 * decreasing (largest memory first, hosts in name order) and respects capacity, hard anti-affinity and
 * isolation; zone, affinity and storage are not re-checked (pool members share storage by design).
 * First-fit is a heuristic: "satisfied" always comes with a concrete evacuation, so it is never claimed
 * falsely, but a feasible evacuation that first-fit misses is reported unsatisfied.
 */
import type { Fleet, MigrationPool, PoolReserve } from '../fleet/model';
import { buildContext, type PlanContext } from './context';
import { Ledger } from './ledger';
import type { PoolHeadroom } from './types';

export const RESERVE_HOSTS: Readonly<Record<PoolReserve, number>> = { none: 0, 'n+1': 1, 'n+2': 2 };

export interface Evacuation {
  readonly ok: boolean;
  /** VM index → host index it moves to (only VMs that found a host). */
  readonly moves: ReadonlyMap<number, number>;
  readonly spare: { readonly cpu: number; readonly memoryMiB: number };
}

/** Host indices of the pool's members that exist in the fleet, in name order. */
export function poolMembers(ctx: PlanContext, pool: MigrationPool): number[] {
  const members: number[] = [];
  for (const name of pool.hosts) {
    const index = ctx.hostIndex.get(name);
    if (index !== undefined) members.push(index);
  }
  return members.sort((a, b) => a - b);
}

/** Re-places the VMs of `failed` hosts onto `survivors` by first-fit decreasing. */
export function evacuate(ctx: PlanContext, ledger: Ledger, survivors: readonly number[], failed: readonly number[]): Evacuation {
  const cpuFree = survivors.map((h) => ctx.hosts[h]!.capacity.cpu - ledger.cpuUsed[h]!);
  const memoryFree = survivors.map((h) => ctx.hosts[h]!.capacity.memoryMiB - ledger.memoryUsed[h]!);
  const received = survivors.map(() => ({ tenants: 0, isolated: 0, groups: new Set<string>() }));
  const leaving = failed.flatMap((h) => [...ledger.vmsOn[h]!]).sort((a, b) => {
    const va = ctx.vms[a]!.vm;
    const vb = ctx.vms[b]!.vm;
    return vb.memoryMiB - va.memoryMiB || vb.vcpus - va.vcpus || a - b;
  });
  const moves = new Map<number, number>();
  let ok = true;
  for (const v of leaving) {
    const vm = ctx.vms[v]!.vm;
    const slot = survivors.findIndex((h, s) => {
      const r = received[s]!;
      if (cpuFree[s]! < vm.vcpus || memoryFree[s]! < vm.memoryMiB) return false;
      if (vm.antiAffinity !== undefined && (r.groups.has(vm.antiAffinity) || ledger.antiAffinity.get(vm.antiAffinity)?.has(h))) return false;
      if (vm.securityClass === 'isolated') return ledger.tenants[h] === 0 && r.tenants === 0;
      return ledger.isolated[h] === 0 && r.isolated === 0;
    });
    if (slot < 0) {
      ok = false;
      continue;
    }
    const r = received[slot]!;
    cpuFree[slot]! -= vm.vcpus;
    memoryFree[slot]! -= vm.memoryMiB;
    r.tenants += 1;
    if (vm.securityClass === 'isolated') r.isolated += 1;
    if (vm.antiAffinity !== undefined) r.groups.add(vm.antiAffinity);
    moves.set(v, survivors[slot]!);
  }
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  return { ok, moves, spare: { cpu: sum(cpuFree), memoryMiB: sum(memoryFree) } };
}

/** Every set of `size` members (all members when the pool is that small), in lexicographic order. */
function failureSets(members: readonly number[], size: number): number[][] {
  if (members.length <= size) return [[...members]];
  if (size === 1) return members.map((m) => [m]);
  const sets: number[][] = [];
  for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) sets.push([members[i]!, members[j]!]);
  return sets;
}

export function poolHeadroom(ctx: PlanContext, ledger: Ledger, pool: MigrationPool): PoolHeadroom {
  const members = poolMembers(ctx, pool);
  const size = RESERVE_HOSTS[pool.reserve];
  const name = (h: number): string => ctx.hosts[h]!.host.name;
  if (size === 0) {
    const whole = evacuate(ctx, ledger, members, []);
    return { name: pool.name, reserve: pool.reserve, satisfied: true, worstCase: [], spare: whole.spare };
  }
  let worst: { failed: number[]; result: Evacuation } | undefined;
  for (const failed of failureSets(members, size)) {
    const survivors = members.filter((m) => !failed.includes(m));
    const result = evacuate(ctx, ledger, survivors, failed);
    const worse =
      worst === undefined ||
      (!result.ok && worst.result.ok) ||
      (result.ok === worst.result.ok &&
        (result.spare.memoryMiB < worst.result.spare.memoryMiB ||
          (result.spare.memoryMiB === worst.result.spare.memoryMiB && result.spare.cpu < worst.result.spare.cpu)));
    if (worse) worst = { failed, result };
    if (!result.ok) break;
  }
  const chosen = worst!;
  return {
    name: pool.name,
    reserve: pool.reserve,
    satisfied: chosen.result.ok,
    worstCase: chosen.failed.map(name),
    spare: chosen.result.spare,
  };
}

/** Headroom of every migration pool, in name order. */
export function poolsHeadroom(ctx: PlanContext, ledger: Ledger): PoolHeadroom[] {
  return [...ctx.migrationPools.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((pool) => poolHeadroom(ctx, ledger, pool));
}

/** Headroom of every migration pool for a given placement (VM name → host name), e.g. read from a lock file. */
export function headroom(fleet: Fleet, placements: Readonly<Record<string, string>>): PoolHeadroom[] {
  const ctx = buildContext(fleet);
  const ledger = new Ledger(ctx);
  for (const [vm, host] of Object.entries(placements)) {
    const v = ctx.vmIndex.get(vm);
    const h = ctx.hostIndex.get(host);
    if (v !== undefined && h !== undefined) ledger.assign(v, h);
  }
  return poolsHeadroom(ctx, ledger);
}
