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
 * The bound, for one set of VMs V (demand D_r, forced demand F_i,r per group, FK_r / FX_r per kind):
 *   - any valid placement uses, in G_i, a host set that holds F_i; any n hosts of G_i offer at most the
 *     sum of the n largest capacities of G_i per resource, so it uses at least
 *     L_i = min { n : prefix_{G_i,r}(n) ≥ F_i,r for every r } hosts of G_i;
 *   - let S be the used hosts, hk = |S ∩ KVM|. For each resource r, the largest capacity any hk KVM
 *     hosts can offer while holding ≥ L_i hosts of each KVM group is P_K,r(hk) = Σ_i prefix_{G_i,r}(L_i)
 *     + (the hk − Σ L_i largest r-capacities among the KVM hosts not taken that way) — an exchange
 *     argument: replacing any chosen host by a larger unchosen one keeps every group minimum, and within
 *     a group the L_i largest dominate any L_i hosts. Likewise P_X,r for Xen.
 *   - S must satisfy, for every r at once: P_K,r(hk) ≥ FK_r, P_X,r(hx) ≥ FX_r and
 *     P_K,r(hk) + P_X,r(hx) ≥ D_r. The bound f(V) is the least hk + hx meeting all of them, found by
 *     trying every hk (for a fixed hk the least hx is a monotone search). Every valid placement of V
 *     meets every one of these inequalities, so f(V) never exceeds its host count.
 * Isolation: each isolated VM occupies a host alone, so the hosts used are at least
 * (#isolated) + f(VMs that are not isolated). Anti-affinity: a group of n VMs needs n hosts.
 * The result is the largest of f(all VMs), #isolated + f(the others) and the largest anti-affinity group.
 */
import type { Fleet } from '../fleet/model';
import { CandidateIndex } from './candidates';
import { buildContext, type PlanContext, type VmFacts } from './context';
import { hugepagesFit } from './filters';
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
  /** Per VM, the indexed filters' candidate list (a superset of E(v); shared by alike VMs). */
  readonly eligible: readonly Int32Array[];
  /** Per VM, whether it fits alone on some host of its list (E(v) non-empty). */
  readonly placeable: Uint8Array;
}

function structure(fleet: Fleet): Structure {
  const ctx = buildContext(fleet);
  const ledger = new Ledger(ctx);
  const index = new CandidateIndex(ctx, ledger);
  const candidates: number[][] = [];
  for (const pool of [...ctx.migrationPools.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const members = new Set<number>();
    for (const name of pool.hosts) {
      const h = ctx.hostIndex.get(name);
      if (h !== undefined) members.add(h);
    }
    candidates.push([...members].sort((a, b) => a - b));
  }
  for (const label of ['sensitive', 'isolated']) {
    candidates.push(ctx.hosts.filter((h) => h.host.labels['securityClass'] === label).map((h) => h.index));
  }
  const cover = new Int32Array(ctx.hosts.length);
  for (const c of candidates) for (const h of c) cover[h]! += 1;
  const groupOf = new Int32Array(ctx.hosts.length).fill(-1);
  const groups: number[][] = [];
  for (const c of candidates) {
    if (c.length === 0 || c.some((h) => cover[h] !== 1)) continue;
    if (c.some((h) => ctx.hosts[h]!.host.hypervisor !== ctx.hosts[c[0]!]!.host.hypervisor)) continue;
    for (const h of c) groupOf[h] = groups.length;
    groups.push(c);
  }
  const fits = (v: VmFacts, h: number): boolean => {
    const host = ctx.hosts[h]!;
    const { vcpus, memoryMiB, numa } = v.vm;
    if (vcpus > host.capacity.cpu || v.memoryMiB > host.capacity.memoryMiB || !hugepagesFit(v, host, 0)) return false;
    return numa !== 'strict' || (vcpus <= host.numaCpu && memoryMiB <= host.numaMemoryMiB);
  };
  const eligible = ctx.vms.map((v) => index.of(v));
  const placeable = Uint8Array.from(ctx.vms, (v) => (eligible[v.index]!.some((h) => fits(v, h)) ? 1 : 0));
  return { ctx, groupOf, groups, eligible, placeable };
}

/** f(V) of the file comment for the VMs `include` keeps. */
function volumeBound(s: Structure, include: (v: VmFacts) => boolean): number {
  const { ctx, groupOf, groups, eligible, placeable } = s;
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
  for (const v of ctx.vms) {
    const e = eligible[v.index]!;
    if (!placeable[v.index] || !include(v)) continue;
    const d: Pair = [v.vm.vcpus, v.memoryMiB];
    const { kind, group } = sharedOf(e);
    for (let r = 0; r < 2; r++) {
      total[r]! += d[r]!;
      if (kind !== undefined) forcedKind[kind]![r]! += d[r]!;
      if (group >= 0) forcedGroup[group]![r]! += d[r]!;
    }
  }
  const capacity = (h: number, r: number): number => (r === 0 ? ctx.hosts[h]!.capacity.cpu : ctx.hosts[h]!.capacity.memoryMiB);
  // Per kind and resource: P[n] = the most capacity n hosts of the kind can offer with every group minimum
  // met (-Infinity below the sum of the minimums).
  const P: Record<string, [number[], number[]]> = {};
  for (const kind of KINDS) {
    const hosts = ctx.hosts.filter((h) => h.host.hypervisor === kind).map((h) => h.index);
    const kindGroups = groups.map((g, i) => i).filter((i) => ctx.hosts[groups[i]![0]!]!.host.hypervisor === kind);
    const minimum = new Map<number, number>();
    for (const i of kindGroups) {
      const g = groups[i]!;
      const need = hostsFor(forcedGroup[i]!, [prefixOf(g.map((h) => capacity(h, 0))), prefixOf(g.map((h) => capacity(h, 1)))]);
      // Infinity: the group cannot hold its forced VMs at all; then no placement is valid and any
      // number is a bound, so the whole group is required.
      minimum.set(i, Number.isFinite(need) ? need : g.length);
    }
    const mandatory = [...minimum.values()].reduce((a, b) => a + b, 0);
    const perResource = [0, 1].map((r) => {
      let base = 0;
      const rest: number[] = [];
      for (const h of hosts) if (groupOf[h]! < 0 || minimum.get(groupOf[h]!) === undefined) rest.push(capacity(h, r));
      for (const i of kindGroups) {
        const sorted = groups[i]!.map((h) => capacity(h, r)).sort((a, b) => b - a);
        const m = minimum.get(i)!;
        for (let j = 0; j < sorted.length; j++) {
          if (j < m) base += sorted[j]!;
          else rest.push(sorted[j]!);
        }
      }
      const extra = prefixOf(rest);
      const out: number[] = [];
      for (let n = 0; n <= hosts.length; n++) out.push(n < mandatory ? Number.NEGATIVE_INFINITY : base + extra[n - mandatory]!);
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

export function lowerBound(fleet: Fleet): number {
  const s = structure(fleet);
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
