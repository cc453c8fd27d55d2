/**
 * A true lower bound on the hosts any valid placement of the fleet's VMs uses, to grade a plan
 * (quality = hostsUsed / lowerBound, 1 is optimal).
 *
 * Eligibility. For every VM, E(v) is the set of hosts the indexed filters (pinned host, hypervisor,
 * migration pool, zone, security class, CPU model; filters.ts) keep and on which the VM fits alone
 * (capacity, strict NUMA). These are hard rules that do not depend on other placements, so every valid
 * placement puts v on a host of E(v). VMs with an empty E(v) are left out (they stay unplaced in every plan).
 * Forcedness below is judged on the indexed filters' list, a superset of E(v): a superset inside a group
 * implies E(v) inside it, so this only forgoes a little strength, never validity.
 *
 * Groups. Candidate groups are the member sets of the migration pools and the sets of hosts labelled
 * `securityClass: sensitive` / `isolated`. Only groups of one hypervisor kind that share no host with any
 * other candidate are kept, so the kept groups G_1..G_m are pairwise disjoint. A VM is *forced* into G_i
 * when E(v) ⊆ G_i, and forced to a kind k when every host of E(v) is of kind k.
 *
 * Headroom caps. A migration pool P with reserve n+k must, for every set F of k members (all members when
 * P has no more than k; `failureSets` in headroom.ts), re-place the VMs of F on the members outside F
 * (`poolHeadroom`). Whatever the placement, let L_r be the r-demand placed on P's hosts: the VMs of F
 * (load_r(F)) must fit in the free room of P \ F, cap_r(P \ F) − (L_r − load_r(F)), so L_r ≤ cap_r(P \ F).
 * Taking F = the k members of largest r-capacity: L_r ≤ C_P,r = cap_r(P) − (sum of P's k largest
 * r-capacities) (0 when P has k members or fewer). This holds for every VM on P, forced or not. It does
 * not by itself raise the host count (an empty member of P can be the spare that takes the evacuees),
 * but it caps what the pool's hosts can offer, which pushes demand elsewhere.
 *
 * The bound, for one set of VMs V (demand D_r, forced demand F_i,r per group, FK_r / FX_r per kind):
 *   - in a kept group G_i, n hosts offer at most g_i,r(n) = prefix_{G_i,r}(n) (the n largest r-capacities),
 *     capped at C_i,r when G_i is a pool with a reserve (g_i,r(n) = min(prefix, C_i,r)); g_i,r is concave
 *     in n (a non-increasing prefix sum, then the minimum with a constant). Any valid placement uses in G_i
 *     a host set that holds F_i, so at least L_i = min { n : g_i,r(n) ≥ F_i,r for every r } hosts of G_i;
 *   - anti-affinity: the VMs of one group run on distinct hosts, so G_i holds at least as many used hosts as
 *     the largest anti-affinity group has VMs forced into G_i (L_i is raised to that), and the used hosts
 *     of kind k at least as many as the largest group has VMs forced to k (AK, AX);
 *   - let S be the used hosts, hk = |S ∩ KVM|. For each resource r, the most capacity any hk KVM hosts can
 *     offer while holding ≥ L_i hosts of each KVM group is P_K,r(hk) = Σ_i g_i,r(L_i) + (the hk − Σ L_i
 *     largest marginal gains among the groups' g_i,r(n) − g_i,r(n−1), n > L_i, and the capacities of the
 *     KVM hosts in no group): maximizing a sum of concave functions of the per-group host counts under a
 *     total count is solved by taking the largest marginal gains (each group's gains are non-increasing,
 *     so the largest ones are always a prefix of every group's sequence). Likewise P_X,r for Xen.
 *     P_K,r(hk) = −∞ when hk < max(Σ L_i, AK).
 *   - S must satisfy, for every r at once: P_K,r(hk) ≥ FK_r, P_X,r(hx) ≥ FX_r and
 *     P_K,r(hk) + P_X,r(hx) ≥ D_r. The bound f(V) is the least hk + hx meeting all of them, found by
 *     trying every hk (for a fixed hk the least hx is a monotone search). Every valid placement of V
 *     meets every one of these inequalities, so f(V) never exceeds its host count.
 * Isolation: each isolated VM occupies a host alone, so the hosts used are at least
 * (#isolated) + f(VMs that are not isolated). Anti-affinity: a group of n VMs needs n hosts.
 * The result is the largest of f(all VMs), #isolated + f(the others) and the largest anti-affinity group.
 * test/planner/lower-bound.test.ts checks bound ≤ the exact optimum (bench/oracle.ts, HiGHS) on random fleets.
 */
import type { Fleet } from '../fleet/model';
import { CandidateIndex } from './candidates';
import { buildContext, type PlanContext, type VmFacts } from './context';
import { hugepagesFit } from './filters';
import { RESERVE_HOSTS } from './headroom';
import { Ledger } from './ledger';

type Pair = [cpu: number, memory: number];

const KINDS = ['kvm', 'xen'] as const;

/** prefix[k] = sum of the k largest values. */
function prefixOf(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => b - a);
  const out = [0];
  for (const v of sorted) out.push(out[out.length - 1]! + v);
  return out;
}

/** Fewest n with prefix[r][n] ≥ total[r] for every r; Infinity when even all hosts do not. */
function hostsFor(total: Pair, prefix: readonly [number[], number[]]): number {
  let needed = 0;
  for (let r = 0; r < 2; r++) {
    if (total[r]! <= 0) continue;
    const k = prefix[r]!.findIndex((sum) => sum >= total[r]!);
    if (k < 0) return Number.POSITIVE_INFINITY;
    needed = Math.max(needed, k);
  }
  return needed;
}

interface Structure {
  readonly ctx: PlanContext;
  /** Kept group of each host, -1 when none. */
  readonly groupOf: Int32Array;
  /** Host indices of each kept group. */
  readonly groups: readonly number[][];
  /** Per kept group, the failures its pool's reserve must survive (0 for other groups). */
  readonly reserve: readonly number[];
  /** Per VM, the indexed filters' candidate list (a superset of E(v); shared by alike VMs). */
  readonly eligible: readonly Int32Array[];
  /** Per VM, whether it fits alone on some host of its list (E(v) non-empty). */
  readonly placeable: Uint8Array;
}

function structure(ctx: PlanContext, index: CandidateIndex): Structure {
  const candidates: number[][] = [];
  const candidateReserve: number[] = [];
  for (const pool of [...ctx.migrationPools.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const members = new Set<number>();
    for (const name of pool.hosts) {
      const h = ctx.hostIndex.get(name);
      if (h !== undefined) members.add(h);
    }
    candidates.push([...members].sort((a, b) => a - b));
    candidateReserve.push(RESERVE_HOSTS[pool.reserve]);
  }
  for (const label of ['sensitive', 'isolated']) {
    candidates.push(ctx.hosts.filter((h) => h.host.labels['securityClass'] === label).map((h) => h.index));
    candidateReserve.push(0);
  }
  const cover = new Int32Array(ctx.hosts.length);
  for (const c of candidates) for (const h of c) cover[h]! += 1;
  const groupOf = new Int32Array(ctx.hosts.length).fill(-1);
  const groups: number[][] = [];
  const reserve: number[] = [];
  candidates.forEach((c, i) => {
    if (c.length === 0 || c.some((h) => cover[h] !== 1)) return;
    if (c.some((h) => ctx.hosts[h]!.host.hypervisor !== ctx.hosts[c[0]!]!.host.hypervisor)) return;
    for (const h of c) groupOf[h] = groups.length;
    groups.push(c);
    reserve.push(candidateReserve[i]!);
  });
  const fits = (v: VmFacts, h: number): boolean => {
    const host = ctx.hosts[h]!;
    const { vcpus, memoryMiB, numa } = v.vm;
    if (vcpus > host.capacity.cpu || v.memoryMiB > host.capacity.memoryMiB || !hugepagesFit(v, host, 0)) return false;
    return numa !== 'strict' || (vcpus <= host.numaCpu && memoryMiB <= host.numaMemoryMiB);
  };
  const eligible = ctx.vms.map((v) => index.of(v));
  const placeable = Uint8Array.from(ctx.vms, (v) => (eligible[v.index]!.some((h) => fits(v, h)) ? 1 : 0));
  return { ctx, groupOf, groups, reserve, eligible, placeable };
}

/** g_i,r(n) for n = 0..|G_i|: the n largest capacities' sum, capped at `cap`. */
function cappedPrefix(values: number[], cap: number): number[] {
  return prefixOf(values).map((sum) => Math.min(sum, cap));
}

/** f(V) of the file comment for the VMs `include` keeps. */
function volumeBound(s: Structure, include: (v: VmFacts) => boolean): number {
  const { ctx, groupOf, groups, reserve, eligible, placeable } = s;
  // Kind and group every host of a candidate list shares (undefined / -1 when they differ), per list.
  const shared = new Map<Int32Array, { kind: string | undefined; group: number }>();
  const sharedOf = (e: Int32Array): { kind: string | undefined; group: number } => {
    let known = shared.get(e);
    if (!known) {
      const kind = ctx.hosts[e[0]!]!.host.hypervisor;
      const group = groupOf[e[0]!]!;
      known = {
        kind: e.every((h) => ctx.hosts[h]!.host.hypervisor === kind) ? kind : undefined,
        group: group >= 0 && e.every((h) => groupOf[h] === group) ? group : -1,
      };
      shared.set(e, known);
    }
    return known;
  };
  const total: Pair = [0, 0];
  const forcedKind: Record<string, Pair> = { kvm: [0, 0], xen: [0, 0] };
  const forcedGroup: Pair[] = groups.map(() => [0, 0]);
  // Per anti-affinity group, its VMs forced into each kept group / to each kind.
  const spreadGroup = groups.map(() => new Map<string, number>());
  const spreadKind: Record<string, Map<string, number>> = { kvm: new Map(), xen: new Map() };
  const count = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);
  // The last candidate list looked up and what it shares: alike VMs come in runs.
  let lastList: Int32Array | undefined;
  let lastShared = { kind: undefined as string | undefined, group: -1 };
  for (const v of ctx.vms) {
    const e = eligible[v.index]!;
    if (!placeable[v.index] || !include(v)) continue;
    const cpu = v.vm.vcpus;
    const memory = v.memoryMiB;
    if (e !== lastList) {
      lastList = e;
      lastShared = sharedOf(e);
    }
    const { kind, group } = lastShared;
    total[0] += cpu;
    total[1] += memory;
    if (kind !== undefined) {
      forcedKind[kind]![0] += cpu;
      forcedKind[kind]![1] += memory;
    }
    if (group >= 0) {
      forcedGroup[group]![0] += cpu;
      forcedGroup[group]![1] += memory;
    }
    const anti = v.vm.antiAffinity;
    if (anti !== undefined) {
      if (kind !== undefined) count(spreadKind[kind]!, anti);
      if (group >= 0) count(spreadGroup[group]!, anti);
    }
  }
  const capacity = (h: number, r: number): number => (r === 0 ? ctx.hosts[h]!.capacity.cpu : ctx.hosts[h]!.capacity.memoryMiB);
  // Per group and resource, g_i,r(n) of the file comment.
  const offered = groups.map((g, i) =>
    [0, 1].map((r) => {
      const values = g.map((h) => capacity(h, r));
      const failed = prefixOf(values)[Math.min(reserve[i]!, g.length)]!;
      return cappedPrefix(values, reserve[i]! > 0 ? prefixOf(values)[g.length]! - failed : Number.POSITIVE_INFINITY);
    }) as [number[], number[]],
  );
  // Per kind and resource: P[n] = the most capacity n hosts of the kind can offer with every group minimum
  // met (-Infinity below the least count the minimums and anti-affinity allow).
  const P: Record<string, [number[], number[]]> = {};
  for (const kind of KINDS) {
    const hosts = ctx.hosts.filter((h) => h.host.hypervisor === kind).map((h) => h.index);
    const kindGroups = groups.map((g, i) => i).filter((i) => ctx.hosts[groups[i]![0]!]!.host.hypervisor === kind);
    const minimum = new Map<number, number>();
    for (const i of kindGroups) {
      const g = groups[i]!;
      const need = hostsFor(forcedGroup[i]!, offered[i]!);
      // Infinity: the group cannot hold its forced VMs at all; then no placement is valid and any
      // number is a bound, so the whole group is required.
      const spread = Math.max(0, ...spreadGroup[i]!.values());
      minimum.set(i, Math.min(g.length, Math.max(Number.isFinite(need) ? need : g.length, spread)));
    }
    const mandatory = Math.max([...minimum.values()].reduce((a, b) => a + b, 0), ...spreadKind[kind]!.values());
    const groupMinimum = [...minimum.values()].reduce((a, b) => a + b, 0);
    const perResource = [0, 1].map((r) => {
      let base = 0;
      const gains: number[] = [];
      for (const h of hosts) if (groupOf[h]! < 0 || minimum.get(groupOf[h]!) === undefined) gains.push(capacity(h, r));
      for (const i of kindGroups) {
        const g = offered[i]![r]!;
        const m = minimum.get(i)!;
        base += g[m]!;
        for (let n = m + 1; n < g.length; n++) gains.push(g[n]! - g[n - 1]!);
      }
      const extra = prefixOf(gains);
      const out: number[] = [];
      for (let n = 0; n <= hosts.length; n++) out.push(n < mandatory ? Number.NEGATIVE_INFINITY : base + extra[n - groupMinimum]!);
      return out;
    }) as [number[], number[]];
    P[kind] = perResource;
  }
  const PK = P['kvm']!;
  const PX = P['xen']!;
  const fk = forcedKind['kvm']!;
  const fx = forcedKind['xen']!;
  let best = Number.POSITIVE_INFINITY;
  for (let hk = 0; hk < PK[0].length; hk++) {
    if (hk >= best) break;
    if (PK[0][hk]! < fk[0] || PK[1][hk]! < fk[1]) continue;
    // Least hx with PX_r(hx) ≥ max(FX_r, D_r − PK_r(hk)) for both r; PX_r is non-decreasing.
    let hx = 0;
    for (let r = 0; r < 2; r++) {
      const need = Math.max(fx[r]!, total[r]! - PK[r]![hk]!);
      const arr = PX[r]!;
      let lo = hx;
      let hi = arr.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (arr[mid]! >= need) hi = mid;
        else lo = mid + 1;
      }
      hx = lo;
      if (hx >= arr.length) break;
    }
    if (hx >= PX[0].length) continue;
    best = Math.min(best, hk + hx);
  }
  return best;
}

/**
 * The bound; `ctx` may be the planner's context for the fleet (the bound reads neither its strategy nor
 * its lock), and `candidates` the planner's candidate lists on it (the indexed filters read no ledger).
 */
export function lowerBound(fleet: Fleet, ctx: PlanContext = buildContext(fleet), candidates: CandidateIndex = new CandidateIndex(ctx, new Ledger(ctx))): number {
  const s = structure(ctx, candidates);
  const isolated = s.ctx.vms.filter((v) => v.vm.securityClass === 'isolated' && s.placeable[v.index]).length;
  const all = volumeBound(s, () => true);
  const shared = isolated + volumeBound(s, (v) => v.vm.securityClass !== 'isolated');
  const antiAffinity = new Map<string, number>();
  for (const v of s.ctx.vms) {
    if (v.vm.antiAffinity === undefined || !s.placeable[v.index]) continue;
    antiAffinity.set(v.vm.antiAffinity, (antiAffinity.get(v.vm.antiAffinity) ?? 0) + 1);
  }
  const bound = Math.max(all, shared, ...antiAffinity.values());
  // Infinity: the fleet cannot hold its VMs at all; every host is then a valid (and the best known) bound.
  return Number.isFinite(bound) ? Math.min(bound, fleet.hosts.length) : fleet.hosts.length;
}
