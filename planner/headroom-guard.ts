/**
 * The headroom guard: while a plan runs, it refuses any placement that would cost a guarded migration
 * pool its n+1/n+2 headroom. Its verdict is `poolHeadroom`'s (every failure set's first-fit evacuation
 * succeeds), reached faster: a refusal is remembered, for every VM alike as an evacuee, until the pool's
 * contents change; a necessary condition on the pool's free capacity refuses early, a sufficient
 * condition for n+1 (every loaded member has a refuge) admits early, and each failure set's evacuation
 * is remembered and re-run only where the ledger changed what first-fit would ask.
 */
import type { PlanContext } from './context';
import { fluidEvacuation, fluidHeadroom, hostLoad, PoolSlack } from './fluid-headroom';
import { agreesFor, evacuate, EvacueeKeys, failureSets, poolMembers, RESERVE_HOSTS, type Evacuation } from './headroom';
import type { RefusalMark } from './host-ranking';
import { contentKey, mix, type Ledger } from './ledger';

/** What the guard needs of a migration pool, derived once per plan. */
export interface GuardedPool {
  /** Host indices of the members, in name order. */
  readonly members: readonly number[];
  /** Hosts whose loss the pool must survive (1 for n+1, 2 for n+2). */
  readonly reserve: number;
  /** Summed capacity of the `reserve` largest members, per resource: the hardest loss. */
  readonly largest: { readonly cpu: number; readonly memoryMiB: number };
  /** Per member (position in `members`), the position of the refuge `eachHasRefuge` found for it last (-1: none yet). */
  readonly refuges: Int32Array;
  /** The position of the member `eachHasRefuge` found without a refuge last (0 before any). */
  readonly lastWithout: Int32Array;
}

/** A failure set's first-fit evacuation as last computed, and the pool's contents then (per member, the ledger's content hash). */
interface RememberedEvacuation {
  readonly evacuation: Evacuation;
  readonly low: Int32Array;
  readonly high: Int32Array;
}

/** A pool's failure sets, the survivors of each and, per member, whether it is in each set. */
interface FailureSplit {
  readonly sets: readonly (readonly number[])[];
  /** Per set, the positions in the members of its first and second host (-1 when it has one host), or undefined when it has more. */
  readonly positions: readonly (readonly [number, number] | undefined)[];
  readonly survivors: readonly (readonly number[])[];
  readonly failing: readonly Uint8Array[];
}

/** A guarded pool's remembered refusals, valid while its members' contents hash as here. */
interface PoolRefusals {
  readonly pool: string;
  low: number;
  high: number;
  /** Whether a member's contents may have changed since `low` and `high` were the ledger's (`HeadroomGuard.catchUp`). */
  stale: boolean;
  /** Counts the contents the refusals were remembered on: one more each time they are forgotten. */
  version: number;
  /** The refused trials' keys: the VM's key (`keyOf`) times the host count, plus the host. */
  readonly trials: Set<number>;
  /** Per VM key refused on these contents, what stands for its refusals (`RefusalMark`). */
  readonly marks: Map<number, PoolRefusalMark>;
  readonly keys: EvacueeKeys;
  /** The VM last keyed on these contents and its key (-1: none): a VM is tried on host after host of a pool. */
  keyedVm: number;
  key: number;
}

/** The refusals of VMs of one key by one pool on one version of its contents. */
interface PoolRefusalMark extends RefusalMark {
  readonly refusals: PoolRefusals;
  readonly key: number;
  readonly version: number;
  /** The VM of this key asked about last. */
  vm: number;
}

/** How a failure set's pool changed since its evacuation was remembered. */
const enum Change {
  /** The remembered evacuation is first-fit's on the ledger as it stands. */
  None,
  /** Only survivors changed, and some would answer first-fit differently. */
  Survivors,
  /** A failed member carries other VMs. */
  Failed,
  /** Nothing remembered. */
  Unknown,
}

export class HeadroomGuard {
  /** Pools whose headroom every later placement must preserve. */
  readonly guarded = new Set<string>();
  /** Per guarded pool, per failure set, its evacuation as last computed. */
  private readonly evacuations = new Map<string, (RememberedEvacuation | undefined)[]>();
  /** Per pool and member (index into the members) receiving a VM, the failure set whose evacuation failed last. */
  private readonly lastFailedSet = new Map<string, Int32Array>();
  private readonly splits = new Map<string, FailureSplit>();
  private readonly pools = new Map<string, GuardedPool>();
  /** Per guarded pool, the trials it refused with its members' contents as hashed here. */
  private readonly refusals = new Map<string, PoolRefusals>();

  /** First-fit evacuations run so far: the guard's work, which a search with a budget charges to itself. */
  evacuationsRun = 0;
  /** The ledger's changes up to which `catchUp` marked the pools they touched stale. */
  private seen = 0;
  /** What stands for the refusal `keepsHeadroom` gave last (undefined after an acceptance). */
  private refused: PoolRefusalMark | undefined;

  constructor(
    private readonly ctx: PlanContext,
    private readonly ledger: Ledger,
  ) {}

  /** Per pool of the host being tried (position in its pools), its remembered refusals and the trial's key in them. */
  private readonly trialRefusals: PoolRefusals[] = [];
  private readonly trialKeys: number[] = [];

  /** Whether placing `vm` on `h` keeps every guarded pool of `h` satisfied. */
  keepsHeadroom(vm: number, h: number): boolean {
    const pools = this.ctx.hosts[h]!.pools;
    this.refused = undefined;
    if (pools.length === 0 || this.guarded.size === 0) return true;
    this.catchUp();
    const { trialRefusals, trialKeys } = this;
    for (let i = 0; i < pools.length; i++) {
      const p = pools[i]!;
      if (!this.guarded.has(p)) continue;
      const known = (trialRefusals[i] = this.refusalsOf(p));
      // Below 2^53 while 2 × VMs² × hosts is (some 10^15: a million VMs on a thousand hosts).
      trialKeys[i] = this.keyOf(known, vm) * this.ctx.hosts.length + h;
      if (known.trials.has(trialKeys[i]!)) {
        this.refused = this.markOf(known);
        return false;
      }
    }
    let refusing = -1;
    let assigned = false;
    for (let i = 0; i < pools.length && refusing < 0; i++) {
      const p = pools[i]!;
      if (!this.guarded.has(p)) continue;
      const facts = this.pool(p);
      if (!this.spareSuffices(facts, vm)) {
        refusing = i;
        break;
      }
      if (!assigned) {
        this.ledger.assign(vm, h);
        assigned = true;
      }
      if (facts.reserve === 1 && facts.members.length > 1 && this.eachHasRefuge(facts)) continue;
      if (!this.evacuationsHold(p, facts, h, vm)) refusing = i;
    }
    if (assigned) {
      this.ledger.unassign(vm);
      // The trial's changes leave every member's contents as they were: no pool is stale for them.
      this.seen = this.ledger.changes;
    }
    if (refusing < 0) return true;
    const known = trialRefusals[refusing]!;
    known.trials.add(trialKeys[refusing]!);
    this.refused = this.markOf(known);
    return false;
  }

  /** What stands for the refusal `keepsHeadroom` gave last, or undefined when it accepted (`RefusalMemory`). */
  lastRefusal(): RefusalMark | undefined {
    return this.refused;
  }

  /**
   * Whether `keepsHeadroom` refuses `vm` on every host where it refused what `mark` stands for: the pool's
   * members carry what they carried then and `vm` is keyed as the VM refused (`RefusalMemory`).
   */
  refusesAlike(mark: RefusalMark, vm: number): boolean {
    const poolMark = mark as PoolRefusalMark;
    this.catchUp();
    const known = this.refusalsOf(poolMark.refusals.pool);
    if (known.version !== poolMark.version) return false;
    // The VM asking usually comes right after the one the mark was last asked about, alike.
    if (poolMark.vm !== vm && !known.keys.alike(poolMark.vm, vm)) {
      if (this.keyOf(known, vm) !== poolMark.key) return false;
    }
    poolMark.vm = vm;
    return true;
  }

  /**
   * Marks stale the remembered refusals of every pool a member of which the ledger changed since last
   * seen (all of them when its change ring no longer holds those changes).
   */
  private catchUp(): void {
    const { ledger, ctx } = this;
    const { changes, changedHosts: ring } = ledger;
    if (changes === this.seen) return;
    if (changes - this.seen > ring.length) {
      for (const known of this.refusals.values()) known.stale = true;
    } else {
      const mask = ring.length - 1;
      for (let c = this.seen; c < changes; c++) {
        for (const p of ctx.hosts[ring[c & mask]!]!.pools) {
          const known = this.refusals.get(p);
          if (known !== undefined) known.stale = true;
        }
      }
    }
    this.seen = changes;
  }

  /**
   * Pool `p`'s remembered refusals, which hold the trials the pool refused with its members' contents as
   * they stand; a pool whose contents changed forgets them first (`catchUp` must have run). The verdict
   * depends on nothing else, and a plan asks the same question again and again: local search tries the
   * same VMs on pools it did not touch, and the first placement pass tries VMs alike one after another on
   * the same full pool members. So a trial's key is not the VM but its `EvacueeKeys` key (`keyOf`) with
   * the host: a VM whose key a refused one shares would be refused too.
   */
  private refusalsOf(p: string): PoolRefusals {
    const { ctx, ledger } = this;
    let known = this.refusals.get(p);
    if (known !== undefined && !known.stale) return known;
    const { contentLow, contentHigh } = ledger;
    const { members } = this.pool(p);
    // An ordered fold of the members' content hashes, so that moving a VM between members changes it too.
    let low = 0x2545f491;
    let high = 0x6b43a9b5;
    for (const m of members) {
      low = mix(low ^ contentLow[m]!);
      high = mix(high ^ contentHigh[m]!);
    }
    if (known === undefined) {
      known = { pool: p, low, high, stale: false, version: 0, trials: new Set(), marks: new Map(), keys: new EvacueeKeys(ctx, ledger, members), keyedVm: -1, key: 0 };
      this.refusals.set(p, known);
    } else if (known.low !== low || known.high !== high) {
      known.low = low;
      known.high = high;
      known.version += 1;
      known.trials.clear();
      known.marks.clear();
      known.keyedVm = -1;
    }
    known.stale = false;
    return known;
  }

  /** Unplaced VM `vm`'s key in a pool's remembered refusals. */
  private keyOf(known: PoolRefusals, vm: number): number {
    if (known.keyedVm !== vm) {
      // VMs alike come one after another: most share the key of the one keyed before them.
      if (known.keyedVm < 0 || !known.keys.alike(known.keyedVm, vm)) known.key = known.keys.of(vm);
      known.keyedVm = vm;
    }
    return known.key;
  }

  /** What stands for the refusals of the VM last keyed in `known`. */
  private markOf(known: PoolRefusals): PoolRefusalMark {
    let mark = known.marks.get(known.key);
    if (mark === undefined) known.marks.set(known.key, (mark = { refusals: known, key: known.key, version: known.version, vm: known.keyedVm }));
    return mark;
  }

  /** Whether every guarded pool of host `h` is satisfied as the ledger stands (the verified check). */
  poolsHold(h: number): boolean {
    return this.ctx.hosts[h]!.pools.every((p) => !this.guarded.has(p) || this.evacuationsHold(p, this.pool(p), -1, -1));
  }

  /** Why the guard refuses host `h`: the guarded pools it belongs to ('' when none). */
  refusal(h: number): string {
    const pools = this.ctx.hosts[h]!.pools.filter((p) => this.guarded.has(p));
    return pools.map((p) => `headroom: migration pool ${p} would lose its ${this.ctx.migrationPools.get(p)!.reserve} headroom`).join('; ');
  }

  private pool(p: string): GuardedPool {
    let facts = this.pools.get(p);
    if (!facts) {
      const { ctx } = this;
      const pool = ctx.migrationPools.get(p)!;
      const members = poolMembers(ctx, pool);
      const reserve = RESERVE_HOSTS[pool.reserve];
      const top = (values: number[]): number => [...values].sort((a, b) => b - a).slice(0, reserve).reduce((a, b) => a + b, 0);
      const largest = {
        cpu: top(members.map((m) => ctx.hosts[m]!.capacity.cpu)),
        memoryMiB: top(members.map((m) => ctx.hosts[m]!.capacity.memoryMiB)),
      };
      facts = { members, reserve, largest, refuges: new Int32Array(members.length).fill(-1), lastWithout: new Int32Array(1) };
      this.pools.set(p, facts);
    }
    return facts;
  }

  private split(p: string, members: readonly number[], reserve: number): FailureSplit {
    let split = this.splits.get(p);
    if (!split) {
      const sets = failureSets(members, reserve);
      split = {
        sets,
        positions: sets.map((failed) => (failed.length > 2 || failed.length === members.length ? undefined : [members.indexOf(failed[0]!), failed.length === 2 ? members.indexOf(failed[1]!) : -1])),
        survivors: sets.map((failed) => members.filter((m) => !failed.includes(m))),
        failing: sets.map((failed) => Uint8Array.from(members, (m) => (failed.includes(m) ? 1 : 0))),
      };
      this.splits.set(p, split);
    }
    return split;
  }

  /**
   * The verified check (`poolHeadroom`'s verdict: every failure set's first-fit evacuation succeeds) for
   * pool `p` as the ledger stands; `h` is the member that just received `vm` (both -1 when none did),
   * whose last failing set goes first. A set's remembered evacuation stands for the one `evacuate` would
   * compute now when its failed members carry the same VMs and every survivor whose contents changed
   * answers first-fit's questions as before (`agreesFor`); the other sets run `evacuate` again from the
   * remembered evacuation, asking only the survivors whose answers may differ.
   */
  private evacuationsHold(p: string, pool: GuardedPool, h: number, vm: number): boolean {
    const { ctx, ledger } = this;
    const { members, reserve } = pool;
    const { sets, positions, survivors: survivorsOf, failing } = this.split(p, members, reserve);
    /** The fluid bound for every set at once, computed when a set first needs it. */
    let slack: PoolSlack | undefined;
    let known = this.evacuations.get(p);
    if (!known) this.evacuations.set(p, (known = new Array<RememberedEvacuation | undefined>(sets.length)));
    const index = members.indexOf(h);
    if (this.changed.length < members.length) this.changed = new Uint8Array(members.length);
    const changed = this.changed;
    // The verdict is the same in any order: every set must succeed. A set that failed last time for this
    // pool and receiving member usually fails again, so it goes first: a failing trial costs one evacuation.
    const first = index < 0 ? 0 : (this.lastFailedSet.get(p)?.[index] ?? 0);
    for (let k = 0; k < sets.length; k++) {
      const i = k === 0 ? first : k <= first ? k - 1 : k;
      // The set that failed last for this member usually fails again: no bound for it, straight to the evacuation.
      const failedLast = k === 0 && index >= 0 && this.lastFailedSet.has(p);
      const at = positions[i];
      // First-fit cannot fail where the fluid bound holds (constant time per set once the pool's slack is
      // known): nothing else is asked, and the remembered evacuation stays as it was, for later changes.
      if (!failedLast && at !== undefined && (slack ??= new PoolSlack(ctx, ledger, members)).holds(at[0], at[1])) continue;
      const before = known[i];
      let ok: boolean;
      const change = before === undefined ? Change.Unknown : this.changedSurvivors(members, failing[i]!, survivorsOf[i]!, before, changed, h, vm);
      if (change === Change.None) {
        ok = before!.evacuation.ok;
      } else if (!failedLast && fluidEvacuation(ctx, ledger, sets[i]!, survivorsOf[i]!)) {
        // The set's own bound (its largest VM, not the pool's) holds.
        ok = true;
      } else {
        const evacuation =
          before === undefined
            ? evacuate(ctx, ledger, survivorsOf[i]!, sets[i]!, undefined, undefined, false, true)
            : evacuate(ctx, ledger, survivorsOf[i]!, sets[i]!, before.evacuation, changed, change === Change.Survivors, true);
        this.evacuationsRun += 1;
        known[i] = this.remember(members, evacuation, before);
        ok = evacuation.ok;
      }
      // The set that failed last passed: a pool with room to spare needs no more evacuations.
      if (ok && k === 0 && fluidHeadroom(ctx, ledger, members, reserve)) return true;
      if (!ok) {
        if (index >= 0) {
          let last = this.lastFailedSet.get(p);
          if (!last) this.lastFailedSet.set(p, (last = new Int32Array(members.length)));
          last[index] = i;
        }
        return false;
      }
    }
    return true;
  }

  /** Per survivor of the set being checked, whether its contents changed; reused from set to set. */
  private changed = new Uint8Array(16);

  /** `evacuation` with the members' contents as the ledger stands, reusing the arrays of the one it replaces. */
  private remember(members: readonly number[], evacuation: Evacuation, replaced: RememberedEvacuation | undefined): RememberedEvacuation {
    const { contentLow, contentHigh } = this.ledger;
    const low = replaced?.low ?? new Int32Array(members.length);
    const high = replaced?.high ?? new Int32Array(members.length);
    for (let j = 0; j < members.length; j++) {
      low[j] = contentLow[members[j]!]!;
      high[j] = contentHigh[members[j]!]!;
    }
    return { evacuation, low, high };
  }

  /**
   * `Change.None` when a remembered evacuation is the one first-fit computes on the ledger as it stands
   * (the failed members carry the same VMs and every survivor whose contents changed answers as then,
   * `agreesFor`; its remembered contents then become the ledger's); otherwise whether only survivors
   * changed or failed members too, with `changed` marking the survivors whose contents changed, for
   * `evacuate` to start from the remembered evacuation. Member `h` just received `vm` (both -1 when
   * none did): when that is all it changed and it took no VM in the remembered evacuation, it agrees
   * without asking (a survivor with more on it refuses whatever it refused before).
   */
  private changedSurvivors(
    members: readonly number[],
    failing: Uint8Array,
    survivors: readonly number[],
    before: RememberedEvacuation,
    changed: Uint8Array,
    h: number,
    vm: number,
  ): Change {
    const { ctx, ledger } = this;
    const { contentLow, contentHigh } = ledger;
    // A remembered evacuation that stopped at its first failure is judged on the VMs up to that one.
    const { slots } = before.evacuation;
    const length = slots.length;
    let sameFailed = true;
    for (let j = 0; j < members.length && sameFailed; j++) {
      const m = members[j]!;
      if (failing[j] && (contentLow[m] !== before.low[j] || contentHigh[m] !== before.high[j])) sameFailed = false;
    }
    let agreeing = sameFailed;
    let s = 0;
    for (let j = 0; j < members.length; j++) {
      if (failing[j]) continue;
      const m = members[j]!;
      const same = contentLow[m] === before.low[j] && contentHigh[m] === before.high[j];
      changed[s] = same ? 0 : 1;
      if (!same && agreeing) {
        const grown = m === h && (contentLow[m]! ^ contentKey(vm, 0)) === before.low[j] && (contentHigh[m]! ^ contentKey(vm, 1)) === before.high[j];
        if (!(grown && !slots.includes(s)) && agreesFor(ctx, ledger, survivors, before.evacuation, s, length) < length) agreeing = false;
      }
      s++;
    }
    if (!sameFailed) return Change.Failed;
    if (!agreeing) return Change.Survivors;
    for (let j = 0; j < members.length; j++) {
      before.low[j] = contentLow[members[j]!]!;
      before.high[j] = contentHigh[members[j]!]!;
    }
    return Change.None;
  }

  /**
   * A necessary condition for the pool's headroom with `vm` added to one of its members: any evacuation
   * of failed hosts F needs the survivors' free capacity ≥ what F carries, i.e. the pool's total free
   * capacity ≥ the capacity of F; the k largest members are the hardest F. (True when the pool is too
   * small to judge this way; the verified check decides then.)
   */
  private spareSuffices(pool: GuardedPool, vm: number): boolean {
    const { ctx, ledger } = this;
    if (pool.members.length <= pool.reserve) return true;
    const v = ctx.vms[vm]!;
    let freeCpu = -v.vm.vcpus;
    let freeMemory = -v.memoryMiB;
    for (const m of pool.members) {
      freeCpu += ctx.hosts[m]!.capacity.cpu - ledger.cpuUsed[m]!;
      freeMemory += ctx.hosts[m]!.capacity.memoryMiB - ledger.memoryUsed[m]!;
    }
    return freeCpu >= pool.largest.cpu && freeMemory >= pool.largest.memoryMiB;
  }

  /**
   * A sufficient condition for n+1 headroom, on the ledger as it stands: every member F that carries VMs
   * has a refuge, another member E whose free capacity holds all of F's load, that runs no VM of an
   * anti-affinity group of F's VMs, and that is empty when F runs an isolated VM (then its only VM)
   * or runs no isolated VM otherwise. When F fails, `evacuate` tries E for every VM of F that found no
   * earlier host; E receives only F's VMs, whose sum fits its free room, whose groups are pairwise
   * distinct (checked) and absent from E, so E admits each one. First-fit thus succeeds for every F,
   * exactly what `poolHeadroom` (the verified check) would report.
   */
  private eachHasRefuge(pool: GuardedPool): boolean {
    const { ctx, ledger } = this;
    const { members, refuges, lastWithout } = pool;
    // The most free CPU and memory of any member and of any other member: a refuge needs at least F's load
    // free. Usually some member has no refuge (a loaded pool): this finds it without asking every pair.
    let cpuFirst = -1;
    let cpuBest = -Infinity;
    let cpuSecond = -Infinity;
    let memoryFirst = -1;
    let memoryBest = -Infinity;
    let memorySecond = -Infinity;
    for (let j = 0; j < members.length; j++) {
      const e = members[j]!;
      const cap = ctx.hosts[e]!.capacity;
      const cpuFree = cap.cpu - ledger.cpuUsed[e]!;
      const memoryFree = cap.memoryMiB - ledger.memoryUsed[e]!;
      if (cpuFree > cpuBest) [cpuSecond, cpuBest, cpuFirst] = [cpuBest, cpuFree, j];
      else if (cpuFree > cpuSecond) cpuSecond = cpuFree;
      if (memoryFree > memoryBest) [memorySecond, memoryBest, memoryFirst] = [memoryBest, memoryFree, j];
      else if (memoryFree > memorySecond) memorySecond = memoryFree;
    }
    // The member that had no refuge last time usually has none again: it is asked first (the verdict
    // is the same in any order).
    const first = lastWithout[0]!;
    for (let k = 0; k < members.length; k++) {
      const i = k === 0 ? first : k <= first ? k - 1 : k;
      const f = members[i]!;
      if (ledger.tenants[f] === 0) continue;
      let refuge = ledger.cpuUsed[f]! <= (i === cpuFirst ? cpuSecond : cpuBest) && ledger.memoryUsed[f]! <= (i === memoryFirst ? memorySecond : memoryBest);
      // F's VMs' groups, kept per host contents.
      const { groups, duplicated } = hostLoad(ctx, ledger, f);
      // An isolated VM runs alone, so one refuge cannot take it and another of F's VMs. The filters never
      // put an isolated VM beside another, but this condition must be sufficient on any ledger.
      if (duplicated || (ledger.isolated[f]! > 0 && ledger.tenants[f]! > 1)) refuge = false;
      // The refuge found last time usually still is one (a placement changes one member): asked first.
      const last = refuges[i]!;
      if (refuge && !(last >= 0 && this.isRefuge(f, members[last]!, groups))) {
        let found = -1;
        for (let j = 0; j < members.length && found < 0; j++) if (j !== i && j !== last && this.isRefuge(f, members[j]!, groups)) found = j;
        if (found >= 0) refuges[i] = found;
        else refuge = false;
      }
      if (!refuge) {
        lastWithout[0] = i;
        return false;
      }
    }
    return true;
  }

  /** Whether member `e` can take all of member `f`'s VMs (whose anti-affinity groups are `groups`), as `eachHasRefuge` asks. */
  private isRefuge(f: number, e: number, groups: readonly string[]): boolean {
    const { ctx, ledger } = this;
    const cap = ctx.hosts[e]!.capacity;
    if (cap.cpu - ledger.cpuUsed[e]! < ledger.cpuUsed[f]! || cap.memoryMiB - ledger.memoryUsed[e]! < ledger.memoryUsed[f]!) return false;
    // Hugepage guests of F fit E's pool when it has F's page size and room for all of them.
    const hugepages = ledger.hugepageUsed[f]!;
    if (hugepages > 0 && (ctx.hosts[e]!.host.hugepages?.sizeKiB !== ctx.hosts[f]!.host.hugepages?.sizeKiB || cap.hugepageMiB - ledger.hugepageUsed[e]! < hugepages)) return false;
    if (ledger.isolated[f]! > 0 ? ledger.tenants[e] !== 0 : ledger.isolated[e] !== 0) return false;
    return !groups.some((g) => ledger.antiAffinity.get(g)?.has(e));
  }
}
