/**
 * A sufficient condition for a migration pool's n+k headroom that needs no evacuation: when the
 * survivors' free capacity exceeds what the failed members carry by a margin, first-fit cannot fail,
 * whatever the order of the VMs and of the survivors. It never claims headroom that `poolHeadroom`'s
 * first-fit evacuation would not find, so the headroom guard may use it to skip evacuations without
 * changing a single verdict.
 *
 * The argument, for failed members F, their VMs L and survivors S. Let C and M be any positive
 * normalizers (the fleet's largest host), Xc and Xm the most vCPUs and memory of one VM of L (or of the
 * pool), and per survivor i its slack c_i = min((cpuFree_i − Xc) / C, (memoryFree_i − Xm) / M), counted
 * where positive. Suppose first-fit cannot place VM x. Every survivor i with c_i > 0 then refuses x: it
 * is short of CPU (cpuFree_i < x.cpu ≤ Xc), short of memory, or holds a VM of x's anti-affinity group
 * (one of its own, or another evacuee of the group: one survivor per such evacuee). A survivor short of
 * CPU received more than cpuFree_i − Xc vCPUs from L, one short of memory more than memoryFree_i − Xm
 * MiB; normalized, the survivors the group did not block received more than the sum of their c_i, while
 * L's VMs weigh w(L) = Σ max(vcpus / C, memory / M) in all. So when Σ c_i over the survivors, less those
 * the group may block, is at least w(L), no VM fails. Hugepage-backed and isolated VMs add refusals this
 * does not count: sets holding any are left to the evacuations.
 */
import type { PlanContext } from './context';
import type { Ledger } from './ledger';

/** What the condition (and the guard's refuge test) needs of one host's VMs, computed once per host contents. */
export interface HostLoad {
  readonly low: number;
  readonly high: number;
  /** Σ max(vcpus / C, memory / M) over its VMs. */
  readonly weight: number;
  readonly maxCpu: number;
  readonly maxMemoryMiB: number;
  /** Its VMs' anti-affinity groups. */
  readonly groups: readonly string[];
  /** Whether two of its VMs share a group (which hard anti-affinity never allows, but a ledger may hold). */
  readonly duplicated: boolean;
  /** Whether a VM needs what the condition does not count (hugepages, isolation). */
  readonly uncounted: boolean;
}

/** Per host, its load as last computed and the one before: the headroom guard tries a VM on a host and takes it off again, so both come back. */
const loads = new WeakMap<Ledger, { readonly last: (HostLoad | undefined)[]; readonly before: (HostLoad | undefined)[] }>();

export function hostLoad(ctx: PlanContext, ledger: Ledger, h: number): HostLoad {
  let cache = loads.get(ledger);
  if (!cache) loads.set(ledger, (cache = { last: new Array<HostLoad | undefined>(ctx.hosts.length), before: new Array<HostLoad | undefined>(ctx.hosts.length) }));
  const cached = cache.last[h];
  const low = ledger.contentLow[h]!;
  const high = ledger.contentHigh[h]!;
  if (cached !== undefined && cached.low === low && cached.high === high) return cached;
  const older = cache.before[h];
  cache.before[h] = cached;
  if (older !== undefined && older.low === low && older.high === high) return (cache.last[h] = older);
  const { cpu: c, memoryMiB: m } = ctx.largestCapacity;
  let weight = 0;
  let maxCpu = 0;
  let maxMemoryMiB = 0;
  let uncounted = false;
  const groups: string[] = [];
  let duplicated = false;
  for (const v of ledger.vmsOn[h]!) {
    const facts = ctx.vms[v]!;
    const { vcpus, antiAffinity, securityClass } = facts.vm;
    weight += Math.max(vcpus / c, facts.memoryMiB / m);
    if (vcpus > maxCpu) maxCpu = vcpus;
    if (facts.memoryMiB > maxMemoryMiB) maxMemoryMiB = facts.memoryMiB;
    if (antiAffinity !== undefined) {
      if (groups.includes(antiAffinity)) duplicated = true;
      groups.push(antiAffinity);
    }
    if (facts.hugepageMiB > 0 || securityClass === 'isolated') uncounted = true;
  }
  const load: HostLoad = { low, high, weight, maxCpu, maxMemoryMiB, groups, duplicated, uncounted };
  cache.last[h] = load;
  return load;
}

/** Slack below which the condition is not trusted to floating-point sums. */
const MARGIN = 1e-9;

/** Per host index, its slack in the set being judged, valid where `judged` holds the current call's stamp; grown as needed. */
let slackOf = new Float64Array(64);
let judged = new Int32Array(64);
let stamp = 0;

/**
 * Whether first-fit's evacuation of the `failed` hosts' VMs onto `survivors` cannot fail, by the argument
 * above with Xc and Xm taken over the failed hosts' VMs, on the ledger as it stands. False says nothing.
 */
export function fluidEvacuation(ctx: PlanContext, ledger: Ledger, failed: readonly number[], survivors: readonly number[]): boolean {
  const { cpu: c, memoryMiB: m } = ctx.largestCapacity;
  let xc = 0;
  let xm = 0;
  let weight = 0;
  for (const f of failed) {
    const load = hostLoad(ctx, ledger, f);
    if (load.uncounted) return false;
    if (load.maxCpu > xc) xc = load.maxCpu;
    if (load.maxMemoryMiB > xm) xm = load.maxMemoryMiB;
    weight += load.weight;
  }
  if (slackOf.length < ctx.hosts.length) {
    slackOf = new Float64Array(ctx.hosts.length);
    judged = new Int32Array(ctx.hosts.length);
  }
  stamp = (stamp + 1) | 0;
  let total = 0;
  let largest = 0;
  for (const s of survivors) {
    const cap = ctx.hosts[s]!.capacity;
    // A survivor running an isolated VM refuses every evacuee (none is isolated here): no slack.
    const slack = ledger.isolated[s]! > 0 ? 0 : Math.max(0, Math.min((cap.cpu - ledger.cpuUsed[s]! - xc) / c, (cap.memoryMiB - ledger.memoryUsed[s]! - xm) / m));
    slackOf[s] = slack;
    judged[s] = stamp;
    total += slack;
    if (slack > largest) largest = slack;
  }
  if (total - weight < MARGIN) return false;
  // Per evacuee's group: the survivors already holding it, and one more per sibling on another failed host.
  let blocked = 0;
  for (const f of failed) {
    for (const g of hostLoad(ctx, ledger, f).groups) {
      // Every other evacuee of the group (on this failed host or another) may block one survivor.
      let sum = -largest;
      for (const other of failed) for (const held of hostLoad(ctx, ledger, other).groups) if (held === g) sum += largest;
      const holders = ledger.antiAffinity.get(g);
      if (holders) for (const h of holders.keys()) if (judged[h] === stamp) sum += slackOf[h]!;
      if (sum > blocked) blocked = sum;
    }
  }
  return total - blocked - weight >= MARGIN;
}

/**
 * Whether losing any `reserve` of `members` (host indices) leaves first-fit an evacuation that cannot
 * fail, by the argument above with Xc and Xm taken over the whole pool, on the ledger as it stands: one
 * pass over the members instead of one per failure set. False says nothing.
 */
export function fluidHeadroom(ctx: PlanContext, ledger: Ledger, members: readonly number[], reserve: number): boolean {
  if (members.length <= reserve || reserve < 1) return false;
  const { cpu: c, memoryMiB: m } = ctx.largestCapacity;
  let xc = 0;
  let xm = 0;
  let grouped = false;
  for (const h of members) {
    const load = hostLoad(ctx, ledger, h);
    if (load.uncounted || load.duplicated) return false;
    if (load.maxCpu > xc) xc = load.maxCpu;
    if (load.maxMemoryMiB > xm) xm = load.maxMemoryMiB;
    if (load.groups.length > 0) grouped = true;
  }
  let total = 0;
  let largest = 0;
  /** The `reserve` largest slack + weight of one member: the hardest F loses the most slack and carries the most. */
  const worst: number[] = [];
  let blocking: Map<string, number> | undefined;
  for (const h of members) {
    const cap = ctx.hosts[h]!.capacity;
    const slack = Math.max(0, Math.min((cap.cpu - ledger.cpuUsed[h]! - xc) / c, (cap.memoryMiB - ledger.memoryUsed[h]! - xm) / m));
    const load = hostLoad(ctx, ledger, h);
    total += slack;
    if (slack > largest) largest = slack;
    if (slack > 0) for (const g of load.groups) (blocking ??= new Map()).set(g, (blocking.get(g) ?? 0) + slack);
    const hardest = slack + load.weight;
    if (worst.length < reserve || hardest > worst[worst.length - 1]!) {
      worst.push(hardest);
      worst.sort((a, b) => b - a);
      if (worst.length > reserve) worst.pop();
    }
  }
  // The members holding one group (before the evacuation) block its evacuees.
  let blocked = 0;
  if (blocking) for (const sum of blocking.values()) if (sum > blocked) blocked = sum;
  // Each other failed member may hold a sibling of an evacuee, which blocks the survivor it went to.
  const sibling = grouped ? (reserve - 1) * largest : 0;
  let hardest = 0;
  for (const x of worst) hardest += x;
  return total - blocked - sibling - hardest >= MARGIN;
}

/**
 * The argument above for every failure set of a pool at once, with Xc and Xm taken over the whole pool:
 * per member its slack, its weight and the most slack one of its groups' holders in the pool can block,
 * computed in one pass; each set is then judged in constant time (`holds`). Weaker than
 * `fluidEvacuation` (the pool's largest VM, not the set's), so the guard asks this first.
 */
export class PoolSlack {
  /** Per member (position in `members`), its slack, counted where positive. */
  private readonly slack: Float64Array;
  private readonly weight: Float64Array;
  /** Per member, the most slack that the holders of one of its groups (itself excluded) have. */
  private readonly blocking: Float64Array;
  private readonly groups: (readonly string[])[] = [];
  private total = 0;
  private largest = 0;
  /** False when a member holds what the argument here does not count (or two VMs of one group): no set holds then. */
  private readonly counted: boolean;

  constructor(ctx: PlanContext, ledger: Ledger, members: readonly number[]) {
    const n = members.length;
    this.slack = new Float64Array(n);
    this.weight = new Float64Array(n);
    this.blocking = new Float64Array(n);
    const { cpu: c, memoryMiB: m } = ctx.largestCapacity;
    let xc = 0;
    let xm = 0;
    let counted = true;
    for (let j = 0; j < n; j++) {
      const load = hostLoad(ctx, ledger, members[j]!);
      if (load.uncounted || load.duplicated) counted = false;
      if (load.maxCpu > xc) xc = load.maxCpu;
      if (load.maxMemoryMiB > xm) xm = load.maxMemoryMiB;
      this.weight[j] = load.weight;
      this.groups.push(load.groups);
    }
    this.counted = counted;
    if (!counted) return;
    if (slackOf.length < ctx.hosts.length) {
      slackOf = new Float64Array(ctx.hosts.length);
      judged = new Int32Array(ctx.hosts.length);
    }
    stamp = (stamp + 1) | 0;
    for (let j = 0; j < n; j++) {
      const h = members[j]!;
      const cap = ctx.hosts[h]!.capacity;
      const slack = Math.max(0, Math.min((cap.cpu - ledger.cpuUsed[h]! - xc) / c, (cap.memoryMiB - ledger.memoryUsed[h]! - xm) / m));
      this.slack[j] = slack;
      slackOf[h] = slack;
      judged[h] = stamp;
      this.total += slack;
      if (slack > this.largest) this.largest = slack;
    }
    for (let j = 0; j < n; j++) {
      let most = 0;
      for (const g of this.groups[j]!) {
        let sum = 0;
        const holders = ledger.antiAffinity.get(g);
        if (holders) for (const h of holders.keys()) if (h !== members[j] && judged[h] === stamp) sum += slackOf[h]!;
        if (sum > most) most = sum;
      }
      this.blocking[j] = most;
    }
  }

  /** Whether losing the members at positions `a` and `b` (`b` = -1 for one member) cannot make first-fit fail. */
  holds(a: number, b: number): boolean {
    if (!this.counted) return false;
    let free = this.total - this.slack[a]!;
    let weight = this.weight[a]!;
    let blocked = this.blocking[a]!;
    if (b >= 0) {
      free -= this.slack[b]!;
      weight += this.weight[b]!;
      if (this.blocking[b]! > blocked) blocked = this.blocking[b]!;
    }
    const spare = free - blocked - weight;
    if (spare < MARGIN) return false;
    if (b < 0 || spare >= MARGIN + this.largest) return true;
    // A group on both failed members: an evacuee's sibling may block one survivor more.
    const other = this.groups[b]!;
    return !this.groups[a]!.some((g) => other.includes(g));
  }
}
