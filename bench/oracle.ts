/**
 * The exact placement oracle: the fewest hosts any valid placement of a fleet's VMs uses, as a
 * mixed-integer program solved by HiGHS (npm `highs`, WebAssembly; a devDependency used only by the
 * benchmark and the lower bound's tests, never by the tool).
 *
 * The model reads the planner's own definitions, so it judges exactly what the planner judges:
 * - eligibility E(v): the hosts the planner's indexed filters keep (`CandidateIndex`: pinned host,
 *   hypervisor, migration pool, zone, security class, CPU model) on which the VM fits alone (strict NUMA
 *   node, hugepage page size), as `lowerBound()` defines it;
 * - capacities: `hostCapacity` via `buildContext` (after Dom0 / host reservation, the Xen hypervisor, the
 *   hugepage pool and overcommit), each VM charged `VmFacts.memoryMiB` (its RAM plus per-guest overhead);
 * - migration-pool headroom as `poolHeadroom` states it (`planner/headroom.ts`): for every pool with reserve
 *   n+k and every failure set F of k members (`failureSets`, all members when the pool is that small),
 *   the VMs on F can be re-placed on the other members with capacity, hugepages, hard anti-affinity and
 *   isolation respected. The planner verifies this with a first-fit evacuation; the model asks for *any*
 *   evacuation, so its feasible set contains every placement the planner may return and its optimum is
 *   the true minimum of the problem the planner solves.
 *
 * Variables (all binary): x[v,h] (VM v on host h, h ∈ E(v)), u[h] (host h used), and per pool, failure
 * set F, VM v that may sit on F and survivor s: y[F,v,s] (v moves to s when F fails). Constraints:
 *   Σ_h x[v,h] = 1                                    every placeable VM is placed
 *   x[v,h] ≤ u[h]                                     a VM opens its host
 *   Σ_v cpu_v x[v,h] ≤ cpu_h u[h]   (memory, hugepages alike)
 *   Σ_{v∈g} x[v,h] ≤ 1                                hard anti-affinity group g
 *   x[a,h] = x[b,h]                                   hard affinity (every member with the first)
 *   Σ_{w≠v} x[w,h] ≤ M (1 − x[v,h])                   an isolated VM runs alone
 *   Σ_v size x[v,h] ≤ capacity                        limited local storage pools (shared pools do not
 *                                                     depend on the placement and are checked up front)
 *   Σ_s y[F,v,s] = Σ_{f∈F} x[v,f]                     every VM of a failed host moves to one survivor
 *   Σ_v cpu_v (x[v,s] + y[F,v,s]) ≤ cpu_s             survivors keep capacity (memory, hugepages alike)
 *   Σ_{v∈g} (x[v,s] + y[F,v,s]) ≤ 1                   anti-affinity after the evacuation
 *   isolation after the evacuation as above, over x[·,s] + y[F,·,s]
 *   Σ_h u[h] ≥ B                                      only when asked: B a proven lower bound (a valid cut)
 *   u[a] ≥ u[b]                                       symmetry: interchangeable hosts a < b (same kind,
 *                                                     capacities, NUMA, pools, zone, labels, CPU model,
 *                                                     hugepages, no VM pinned to either) open in order
 * Objective: minimize Σ_h u[h]. `evacuation: 'aggregate'` replaces the y variables and their rows by
 * two necessary conditions per pool P with reserve n+k (a relaxation, a few hundred rows instead of tens
 * of thousands of columns): Σ_{v, h∈P} r_v x[v,h] ≤ cap_r(P) − (P's k largest r-capacities), as the VMs
 * of the failed hosts must fit in the survivors' free room; and Σ_{h∈P} x[v,h] over a hard anti-affinity
 * group ≤ |P| − k, as the group's evacuees need member-free survivors of their own. Soft rules (soft anti-affinity, weighers) do not constrain validity and
 * are not modelled. VMs with an empty E(v) are left out, as every plan leaves them unplaced.
 */
import highsLoader, { type Highs } from 'highs';
import type { Fleet } from '../fleet/model';
import { CandidateIndex } from '../planner/candidates';
import { buildContext, type PlanContext, type VmFacts } from '../planner/context';
import { hugepagesFit } from '../planner/filters';
import { failureSets, poolMembers, RESERVE_HOSTS } from '../planner/headroom';
import { Ledger } from '../planner/ledger';

export interface OracleResult {
  /** `optimal`: `hosts` is proven minimal; `limit`: the time limit stopped HiGHS; `infeasible`: no valid placement. */
  readonly status: 'optimal' | 'limit' | 'infeasible';
  /** Hosts of the best valid placement found (null when none was found). */
  readonly hosts: number | null;
  /** HiGHS's proven lower bound on the hosts (rounded up: the objective is integral). */
  readonly bound: number;
  /** (hosts − bound) / hosts, 0 when optimal; null without a placement. */
  readonly gap: number | null;
  /** VMs in the model (those with a host they can run on). */
  readonly vms: number;
  readonly variables: number;
  readonly constraints: number;
  readonly seconds: number;
  /** The best placement found (VM name → host name), to compare with a plan; absent without one. */
  readonly placement?: Readonly<Record<string, string>>;
}

let loaded: Promise<Highs> | undefined;

/** One WebAssembly instance for the process (each load compiles the module again). */
function highs(): Promise<Highs> {
  loaded ??= highsLoader();
  return loaded;
}

/** Sparse rows built one at a time, handed to HiGHS as CSR. */
class RowBuilder {
  readonly starts: number[] = [0];
  readonly indices: number[] = [];
  readonly values: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];

  add(terms: readonly (readonly [column: number, coefficient: number])[], lower: number, upper: number): void {
    // Merge repeated columns (a VM counted twice in one sum) so HiGHS gets one entry per column.
    const merged = new Map<number, number>();
    for (const [c, a] of terms) merged.set(c, (merged.get(c) ?? 0) + a);
    for (const [c, a] of merged) {
      if (a === 0) continue;
      this.indices.push(c);
      this.values.push(a);
    }
    this.starts.push(this.indices.length);
    this.lower.push(lower);
    this.upper.push(upper);
  }

  get count(): number {
    return this.lower.length;
  }
}

/** E(v) for every VM, as in the file comment. */
export function eligibleHosts(ctx: PlanContext): number[][] {
  const index = new CandidateIndex(ctx, new Ledger(ctx));
  const fitsAlone = (v: VmFacts, h: number): boolean => {
    const host = ctx.hosts[h]!;
    const { vcpus, memoryMiB, numa } = v.vm;
    if (vcpus > host.capacity.cpu || v.memoryMiB > host.capacity.memoryMiB || !hugepagesFit(v, host, 0)) return false;
    return numa !== 'strict' || (vcpus <= host.numaCpu && memoryMiB <= host.numaMemoryMiB);
  };
  return ctx.vms.map((v) => [...index.of(v)].filter((h) => fitsAlone(v, h)));
}

/** Hosts no rule tells apart, grouped (each group in index order). */
function interchangeable(ctx: PlanContext): number[][] {
  const pinned = new Set(ctx.vms.flatMap((v) => (v.vm.host === undefined ? [] : [v.vm.host])));
  const classes = new Map<string, number[]>();
  for (const h of ctx.hosts) {
    if (pinned.has(h.host.name)) continue;
    const key = JSON.stringify([
      h.host.hypervisor, h.capacity.cpu, h.capacity.memoryMiB, h.capacity.hugepageMiB, h.host.hugepages?.sizeKiB ?? 0,
      h.numaCpu, h.numaMemoryMiB, h.pools, h.host.zone ?? '', Object.entries(h.host.labels).sort(), h.host.cpuModel ?? '',
    ]);
    const list = classes.get(key);
    if (list) list.push(h.index);
    else classes.set(key, [h.index]);
  }
  return [...classes.values()].filter((c) => c.length > 1);
}

export interface OracleOptions {
  /** Wall-clock limit for HiGHS, seconds. @default 60 */
  readonly timeLimitSeconds?: number;
  /**
   * A valid placement (VM name → host name), e.g. the planner's, handed to HiGHS as its first incumbent
   * (x and u only; HiGHS completes the evacuation variables itself). It only speeds the search up: HiGHS
   * checks it and the proven optimum does not depend on it.
   */
  readonly start?: Readonly<Record<string, string>>;
  /**
   * A proven lower bound on the hosts (`lowerBound()` of planner/lower-bound.ts), added as the valid cut
   * Σ u[h] ≥ bound: when the incumbent meets it, HiGHS stops at once instead of closing the gap by
   * branching. Only as sound as that bound's proof; the property test of the bound (which compares it with
   * this oracle) never passes it, so the check is not circular.
   */
  readonly lowerBoundCut?: number;
  /**
   * `fractional` relaxes the evacuation variables y to [0, 1] (a VM of a failed host may be split over
   * survivors): a relaxation of the model, much easier to solve, whose optimum is a lower bound on the true
   * one, and exact whenever its placement passes an integral evacuation check. @default integral
   */
  readonly evacuation?: 'integral' | 'fractional' | 'aggregate';
}

/** Solves the placement MIP of the file comment for `fleet`. */
export async function exactMinimumHosts(fleet: Fleet, options: OracleOptions = {}): Promise<OracleResult> {
  const started = performance.now();
  const ctx = buildContext(fleet);
  const eligible = eligibleHosts(ctx);
  const vms = ctx.vms.filter((v) => eligible[v.index]!.length > 0);
  const H = ctx.hosts.length;

  // Columns: u[h] first, then x[v,h], then y[F,v,s].
  const cost: number[] = [];
  const column = (objective: number): number => {
    cost.push(objective);
    return cost.length - 1;
  };
  const u = ctx.hosts.map(() => column(1));
  // Columns from here to `firstEvacuation` are x; the y columns follow.
  let firstEvacuation = Number.POSITIVE_INFINITY;
  const x = new Map<number, Map<number, number>>(); // vm → host → column
  const on: { v: VmFacts; c: number }[][] = ctx.hosts.map(() => []); // per host, the x columns that can land on it
  for (const v of vms) {
    const row = new Map<number, number>();
    for (const h of eligible[v.index]!) {
      const c = column(0);
      row.set(h, c);
      on[h]!.push({ v, c });
    }
    x.set(v.index, row);
  }
  const rows = new RowBuilder();
  const resources = (v: VmFacts): [number, number, number] => [v.vm.vcpus, v.memoryMiB, v.hugepageMiB];
  const limits = (h: number): [number, number, number] => {
    const { cpu, memoryMiB, hugepageMiB } = ctx.hosts[h]!.capacity;
    return [cpu, memoryMiB, hugepageMiB];
  };

  for (const v of vms) rows.add([...x.get(v.index)!.values()].map((c) => [c, 1] as const), 1, 1);
  for (let h = 0; h < H; h++) {
    for (const { c } of on[h]!) rows.add([[c, 1], [u[h]!, -1]], -Infinity, 0);
    const limit = limits(h);
    for (let r = 0; r < 3; r++) {
      const terms = on[h]!.filter(({ v }) => resources(v)[r]! > 0).map(({ v, c }) => [c, resources(v)[r]!] as const);
      if (terms.length > 0) rows.add([...terms, [u[h]!, -limit[r]!]], -Infinity, 0);
    }
  }

  /** Per host, placement terms plus extra terms (an evacuation's), grouped by anti-affinity group. */
  const antiAffinityRows = (terms: readonly { v: VmFacts; c: number }[]): void => {
    const byGroup = new Map<string, number[]>();
    for (const { v, c } of terms) {
      const g = v.vm.antiAffinity;
      if (g === undefined) continue;
      const list = byGroup.get(g);
      if (list) list.push(c);
      else byGroup.set(g, [c]);
    }
    for (const cs of byGroup.values()) if (cs.length > 1) rows.add(cs.map((c) => [c, 1] as const), -Infinity, 1);
  };
  /** An isolated VM's terms exclude every other VM's (sum of others ≤ M (1 − own)). */
  const isolationRows = (terms: readonly { v: VmFacts; c: number }[]): void => {
    const isolated = new Set(terms.filter(({ v }) => v.vm.securityClass === 'isolated').map(({ v }) => v.index));
    for (const w of isolated) {
      const own = terms.filter(({ v }) => v.index === w);
      const others = terms.filter(({ v }) => v.index !== w);
      if (others.length === 0) continue;
      const m = others.length;
      rows.add([...others.map(({ c }) => [c, 1] as const), ...own.map(({ c }) => [c, m] as const)], -Infinity, m);
    }
  };
  for (let h = 0; h < H; h++) {
    antiAffinityRows(on[h]!);
    isolationRows(on[h]!);
  }

  const affinity = new Map<string, VmFacts[]>();
  for (const v of vms) if (v.vm.affinity !== undefined) affinity.set(v.vm.affinity, [...(affinity.get(v.vm.affinity) ?? []), v]);
  for (const members of affinity.values()) {
    const [first, ...rest] = members;
    for (const other of rest) {
      for (let h = 0; h < H; h++) {
        const a = x.get(first!.index)!.get(h);
        const b = x.get(other.index)!.get(h);
        if (a === undefined && b === undefined) continue;
        rows.add([...(a === undefined ? [] : [[a, 1] as const]), ...(b === undefined ? [] : [[b, -1] as const])], 0, 0);
      }
    }
  }

  let sharedStorageOverflow = false;
  for (const [pool, capacity] of ctx.storageCapacity) {
    const shared = vms.some((v) => v.disks.some((d) => d.pool === pool && d.shared));
    if (shared) {
      const total = vms.reduce((sum, v) => sum + v.disks.filter((d) => d.pool === pool).reduce((s, d) => s + d.sizeMiB, 0), 0);
      if (total > capacity) sharedStorageOverflow = true;
      continue;
    }
    for (let h = 0; h < H; h++) {
      const terms = on[h]!.flatMap(({ v, c }) => v.disks.filter((d) => d.pool === pool).map((d) => [c, d.sizeMiB] as const));
      if (terms.length > 0) rows.add(terms, -Infinity, capacity);
    }
  }

  /**
   * The aggregate relaxation of a pool's headroom (no evacuation variables): whatever the failure set F,
   * the pool's whole r-demand lands on the survivors, so Σ_{v, h ∈ P} r_v x[v,h] ≤ cap_r(P \ F) for the F
   * of the k largest r-capacities; and a hard anti-affinity group cannot hold every survivor's slot plus
   * one on F, so its members on P number at most |P| − k. Both are necessary, so the model's optimum is
   * a lower bound on the true one.
   */
  const aggregateHeadroomRows = (members: readonly number[], k: number): void => {
    for (let r = 0; r < 3; r++) {
      const capacities = members.map((h) => limits(h)[r]!).sort((a, b) => b - a);
      const survivors = capacities.slice(Math.min(k, capacities.length)).reduce((a, b) => a + b, 0);
      const terms = members.flatMap((h) => on[h]!.filter(({ v }) => resources(v)[r]! > 0).map(({ v, c }) => [c, resources(v)[r]!] as const));
      if (terms.length > 0) rows.add(terms, -Infinity, survivors);
    }
    const byGroup = new Map<string, number[]>();
    for (const h of members) {
      for (const { v, c } of on[h]!) {
        const g = v.vm.antiAffinity;
        if (g === undefined) continue;
        byGroup.set(g, [...(byGroup.get(g) ?? []), c]);
      }
    }
    for (const cs of byGroup.values()) if (cs.length > members.length - k) rows.add(cs.map((c) => [c, 1] as const), -Infinity, Math.max(0, members.length - k));
  };
  firstEvacuation = cost.length;
  const reservePools = [...ctx.migrationPools.values()].filter((p) => RESERVE_HOSTS[p.reserve] > 0).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const pool of reservePools) {
    const members = poolMembers(ctx, pool);
    if (options.evacuation === 'aggregate') {
      aggregateHeadroomRows(members, RESERVE_HOSTS[pool.reserve]);
      continue;
    }
    for (const failed of failureSets(members, RESERVE_HOSTS[pool.reserve])) {
      const survivors = members.filter((m) => !failed.includes(m));
      const leaving = vms.filter((v) => failed.some((f) => x.get(v.index)!.has(f)));
      const moved: { v: VmFacts; c: number }[][] = survivors.map(() => []);
      for (const v of leaving) {
        const terms: [number, number][] = failed.flatMap((f) => {
          const c = x.get(v.index)!.get(f);
          return c === undefined ? [] : [[c, -1] as [number, number]];
        });
        survivors.forEach((s, i) => {
          // admitsEvacuee: the hugepage page size must match; capacity is the rows below.
          if (!hugepagesFit(v, ctx.hosts[s]!, 0)) return;
          const c = column(0);
          moved[i]!.push({ v, c });
          terms.push([c, 1]);
        });
        rows.add(terms, 0, 0);
      }
      survivors.forEach((s, i) => {
        const after = [...on[s]!, ...moved[i]!];
        const limit = limits(s);
        for (let r = 0; r < 3; r++) {
          const terms = after.filter(({ v }) => resources(v)[r]! > 0).map(({ v, c }) => [c, resources(v)[r]!] as const);
          if (moved[i]!.some(({ v }) => resources(v)[r]! > 0)) rows.add(terms, -Infinity, limit[r]!);
        }
        antiAffinityRows(after);
        isolationRows(after);
      });
    }
  }

  if (options.lowerBoundCut !== undefined && options.lowerBoundCut > 0) rows.add(u.map((c) => [c, 1] as const), options.lowerBoundCut, Infinity);

  for (const group of interchangeable(ctx)) {
    for (let i = 0; i + 1 < group.length; i++) rows.add([[u[group[i]!]!, 1], [u[group[i + 1]!]!, -1]], 0, Infinity);
  }

  const variables = cost.length;
  const constraints = rows.count;
  const placementOf = (values: ArrayLike<number>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [v, byHost] of x) for (const [h, c] of byHost) if (values[c]! > 0.5) out[ctx.vms[v]!.vm.name] = ctx.hosts[h]!.host.name;
    return out;
  };
  const done = (result: Omit<OracleResult, 'vms' | 'variables' | 'constraints' | 'seconds'>): OracleResult => ({
    ...result,
    vms: vms.length,
    variables,
    constraints,
    seconds: (performance.now() - started) / 1000,
  });
  if (sharedStorageOverflow) return done({ status: 'infeasible', hosts: null, bound: H, gap: null });

  const solver = await highs();
  const model = solver.createModel();
  try {
    model.options.set({ output_flag: false, time_limit: options.timeLimitSeconds ?? 60, mip_rel_gap: 0, mip_abs_gap: 0.99 });
    model.passModel({
      numCols: variables,
      numRows: constraints,
      colCost: cost,
      colLower: new Float64Array(variables),
      colUpper: new Float64Array(variables).fill(1),
      rowLower: rows.lower,
      rowUpper: rows.upper,
      matrix: { format: 'csr', numRows: constraints, numCols: variables, starts: rows.starts, indices: rows.indices, values: rows.values },
      integrality: Int32Array.from({ length: variables }, (_, c) => (options.evacuation === 'fractional' && c >= firstEvacuation ? 0 : 1)),
    });
    if (options.start !== undefined) {
      const start = new Map<number, number>();
      for (const [vmName, hostName] of Object.entries(options.start)) {
        const v = ctx.vmIndex.get(vmName);
        const h = ctx.hostIndex.get(hostName);
        const c = v === undefined || h === undefined ? undefined : x.get(v)?.get(h);
        if (c === undefined) continue;
        start.set(c, 1);
        start.set(u[h!]!, 1);
      }
      for (const c of x.values()) for (const col of c.values()) if (!start.has(col)) start.set(col, 0);
      for (const c of u) if (!start.has(c)) start.set(c, 0);
      const indices = [...start.keys()].sort((a, b) => a - b);
      model.setSolution({ indices, values: indices.map((c) => start.get(c)!) });
    }
    model.run();
    const status = model.getModelStatus();
    // HiGHS model status codes: 7 optimal, 8 infeasible (highs types.d.ts `ModelStatusCode`).
    if (status === 8) return done({ status: 'infeasible', hosts: null, bound: H, gap: null });
    // HiGHS info: primal_solution_status 2 = a feasible solution is held; objective_function_value is its
    // objective; mip_dual_bound the proven bound.
    const feasible = Number(model.info.get('primal_solution_status')) === 2;
    const hosts = feasible ? Math.round(Number(model.info.get('objective_function_value'))) : null;
    const dual = Number(model.info.get('mip_dual_bound'));
    // No proven bound yet (the limit struck before the root LP was solved): 0 is the only honest one.
    const bound = Number.isFinite(dual) ? Math.min(hosts ?? H, Math.ceil(dual - 1e-6)) : 0;
    const placement = hosts === null ? undefined : placementOf(model.getSolution().colValue);
    const found = placement === undefined ? {} : { placement };
    if (status === 7 && hosts !== null) return done({ status: 'optimal', hosts, bound: hosts, gap: 0, ...found });
    return done({ status: 'limit', hosts, bound, gap: hosts === null ? null : (hosts - bound) / hosts, ...found });
  } finally {
    model.dispose();
  }
}
