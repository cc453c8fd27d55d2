/**
 * Migration-pool headroom (research CAP-N-PLUS-1): with reserve n+1 (n+2), for every host (pair of hosts)
 * of the pool, can the VMs it carries be re-placed on the remaining pool hosts? Re-placement is first-fit
 * decreasing (largest memory first, hosts in name order) and respects capacity (hugepage pools included),
 * hard anti-affinity and isolation; zone, affinity and storage are not re-checked (pool members share storage by design).
 * First-fit is a heuristic: "satisfied" always comes with a concrete evacuation, so it is never claimed
 * falsely, but a feasible evacuation that first-fit misses is reported unsatisfied.
 */
import type { Fleet, MigrationPool, PoolReserve } from '../fleet/model';
import { buildContext, type PlanContext, type VmFacts } from './context';
import { hugepagesFit } from './filters';
import { Ledger } from './ledger';
import type { PoolHeadroom } from './types';

export const RESERVE_HOSTS: Readonly<Record<PoolReserve, number>> = { none: 0, 'n+1': 1, 'n+2': 2 };

export interface Evacuation {
  readonly ok: boolean;
  readonly spare: { readonly cpu: number; readonly memoryMiB: number };
  /**
   * The failed hosts' VMs in the order first-fit placed them. (Plain arrays, here and in `slots`: the
   * guard makes hundreds of thousands of evacuations, and a typed array's backing store costs more to
   * allocate than the work it holds.)
   */
  readonly leaving: readonly number[];
  /**
   * Per VM of `leaving`, the position in `survivors` of the host it moves to, -1 when none admitted it.
   * Shorter than `leaving` when the evacuation stopped at its first failure (`stopAtFailure`): it ends
   * with that -1, and says nothing of the VMs after it.
   */
  readonly slots: readonly number[];
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

interface EvacuationOrder {
  /** VM index → its place in evacuation order. */
  readonly rank: Int32Array;
  /** Place in evacuation order → VM index. */
  readonly byRank: Int32Array;
}

const orders = new WeakMap<PlanContext, EvacuationOrder>();

/**
 * First-fit decreasing's order of all VMs, computed once per plan: largest memory first, then most vCPUs,
 * then fleet order (a total order, so sorting the ranks of any subset gives that subset's order).
 */
function evacuationOrder(ctx: PlanContext): EvacuationOrder {
  let order = orders.get(ctx);
  if (!order) {
    const byRank = Int32Array.from(ctx.vms, (_, i) => i).sort((a, b) => {
      const va = ctx.vms[a]!;
      const vb = ctx.vms[b]!;
      return vb.memoryMiB - va.memoryMiB || vb.vm.vcpus - va.vm.vcpus || a - b;
    });
    const rank = new Int32Array(byRank.length);
    byRank.forEach((v, r) => (rank[v] = r));
    order = { rank, byRank };
    orders.set(ctx, order);
  }
  return order;
}

/**
 * Whether survivor `h` admits evacuee `facts` in a first-fit evacuation, given its free room and what the
 * evacuation already put on it (hugepage MiB, VM count, isolated VMs, anti-affinity groups). The one
 * predicate of `evacuate` and `agreesFor`, so both judge alike.
 */
function admitsEvacuee(
  ctx: PlanContext,
  ledger: Ledger,
  facts: VmFacts,
  h: number,
  cpuFree: number,
  memoryFree: number,
  hugepagesTaken: number,
  tenantsTaken: number,
  isolatedTaken: number,
  groupsTaken: readonly string[] | undefined,
): boolean {
  const vm = facts.vm;
  if (cpuFree < vm.vcpus || memoryFree < facts.memoryMiB) return false;
  if (!hugepagesFit(facts, ctx.hosts[h]!, ledger.hugepageUsed[h]! + hugepagesTaken)) return false;
  const group = vm.antiAffinity;
  if (group !== undefined && (groupsTaken?.includes(group) || ledger.antiAffinity.get(group)?.has(h))) return false;
  return vm.securityClass === 'isolated' ? ledger.tenants[h] === 0 && tenantsTaken === 0 : ledger.isolated[h] === 0 && isolatedTaken === 0;
}

/** A host's VMs' evacuation ranks, ascending, and the content hash they were taken at. */
interface HostRanks {
  readonly low: number;
  readonly high: number;
  readonly ranks: readonly number[];
}

/** Per host, its ranks as last computed and the ones before: the headroom guard tries a VM on a host and takes it off again, so both come back. */
const hostRanks = new WeakMap<Ledger, { readonly last: (HostRanks | undefined)[]; readonly before: (HostRanks | undefined)[] }>();

/** The evacuation ranks of the VMs on host `h`, ascending; recomputed only when the host's contents changed. */
function ranksOn(ctx: PlanContext, ledger: Ledger, h: number): readonly number[] {
  let cache = hostRanks.get(ledger);
  if (!cache) {
    cache = { last: new Array<HostRanks | undefined>(ctx.hosts.length), before: new Array<HostRanks | undefined>(ctx.hosts.length) };
    hostRanks.set(ledger, cache);
  }
  const low = ledger.contentLow[h]!;
  const high = ledger.contentHigh[h]!;
  const cached = cache.last[h];
  if (cached !== undefined && cached.low === low && cached.high === high) return cached.ranks;
  const older = cache.before[h];
  cache.before[h] = cached;
  if (older !== undefined && older.low === low && older.high === high) return (cache.last[h] = older).ranks;
  const { rank } = evacuationOrder(ctx);
  const ranks: number[] = [];
  for (const v of ledger.vmsOn[h]!) ranks.push(rank[v]!);
  ranks.sort((a, b) => a - b);
  cache.last[h] = { low, high, ranks };
  return ranks;
}

/**
 * The failed hosts' VMs in evacuation order: largest charged memory first, then vCPUs, then fleet order
 * (a merge of each host's sorted ranks).
 */
function leavingVms(ctx: PlanContext, ledger: Ledger, failed: readonly number[]): number[] {
  const { byRank } = evacuationOrder(ctx);
  let merged: readonly number[] = [];
  for (const h of failed) {
    const ranks = ranksOn(ctx, ledger, h);
    if (merged.length === 0) {
      merged = ranks;
      continue;
    }
    const both: number[] = [];
    let a = 0;
    let b = 0;
    while (a < merged.length && b < ranks.length) both.push(merged[a]! < ranks[b]! ? merged[a++]! : ranks[b++]!);
    while (a < merged.length) both.push(merged[a++]!);
    while (b < ranks.length) both.push(ranks[b++]!);
    merged = both;
  }
  return merged.map((r) => byRank[r]!);
}

/** Per VM, the kind of evacuee it is and the stretch of the evacuation order its size occupies. */
interface EvacueeKinds {
  /**
   * The rank of the first VM alike as an evacuee: alike in everything `evacuate` reads of a VM (charged
   * memory and vCPUs, hugepage MiB and page size, isolation, anti-affinity group).
   */
  readonly kind: Int32Array;
  /**
   * The kind of the VM alike but without an anti-affinity group: its own kind when it has none, else the
   * kind of the first VM of its size so alike, or, when there is none, a kind of its own above every
   * rank (the length of the order plus the rank of the first VM of its size alike but for the group).
   */
  readonly ungrouped: Int32Array;
  /** The rank of the first VM of its charged memory and vCPUs: VMs of one size are contiguous in the order. */
  readonly block: Int32Array;
  /** How many VMs of its size but another kind than `kind` (`ungrouped`) precede it in the order. */
  readonly otherBefore: Int32Array;
  readonly otherBeforeUngrouped: Int32Array;
}

const kinds = new WeakMap<PlanContext, EvacueeKinds>();

function evacueeKinds(ctx: PlanContext): EvacueeKinds {
  let known = kinds.get(ctx);
  if (!known) {
    const { byRank } = evacuationOrder(ctx);
    const n = byRank.length;
    const kind = new Int32Array(n);
    const ungrouped = new Int32Array(n);
    const block = new Int32Array(n);
    // Per kind of the current block (VMs of one size are contiguous, and kinds never span two sizes), its
    // first rank; per kind but for the group, the first rank of a VM of it with no group, and of any VM of it.
    const firstOfKind = new Map<number, number>();
    const firstUngrouped = new Map<number, number>();
    const firstAlike = new Map<number, number>();
    const otherBefore = new Int32Array(n);
    const otherBeforeUngrouped = new Int32Array(n);
    /** Per kind (below 2n: `ungrouped`), the VMs of it met so far in the block; zero again after each block. */
    const seen = new Int32Array(2 * n);
    // Numbers for what a kind is made of: the flags (`evacueeFlags`, 0 for most VMs) and the group (0: none).
    const flagIds = new Map<string, number>();
    const groupIds = new Map<string, number>();
    /** Per rank of the block, its VM's flags' number: its kind but for the group. */
    const alikeOf: number[] = [];
    let blockStart = 0;
    const endBlock = (end: number): void => {
      for (let b = blockStart; b < end; b++) {
        const v = byRank[b]!;
        if (ctx.vms[v]!.vm.antiAffinity !== undefined) {
          const alike = alikeOf[b - blockStart]!;
          ungrouped[v] = firstUngrouped.get(alike) ?? n + firstAlike.get(alike)!;
        }
      }
      for (let b = blockStart; b < end; b++) {
        const v = byRank[b]!;
        otherBefore[v] = b - blockStart - seen[kind[v]!]!;
        otherBeforeUngrouped[v] = b - blockStart - seen[ungrouped[v]!]!;
        seen[kind[v]!]! += 1;
      }
      for (let b = blockStart; b < end; b++) seen[kind[byRank[b]!]!] = 0;
      alikeOf.length = 0;
      firstOfKind.clear();
      firstUngrouped.clear();
      firstAlike.clear();
    };
    for (let r = 0; r < n; r++) {
      const facts = ctx.vms[byRank[r]!]!;
      if (r > 0) {
        const before = ctx.vms[byRank[r - 1]!]!;
        if (before.memoryMiB !== facts.memoryMiB || before.vm.vcpus !== facts.vm.vcpus) {
          endBlock(r);
          blockStart = r;
        }
      }
      const flags = evacueeFlags(facts);
      let alike = 0;
      if (flags !== '') {
        alike = flagIds.get(flags) ?? flagIds.size + 1;
        flagIds.set(flags, alike);
      }
      const group = facts.vm.antiAffinity;
      let groupId = 0;
      if (group !== undefined) {
        groupId = groupIds.get(group) ?? groupIds.size + 1;
        groupIds.set(group, groupId);
      }
      // Distinct for distinct pairs: group numbers stay below n + 1.
      const key = alike * (n + 1) + groupId;
      let first = firstOfKind.get(key);
      if (first === undefined) firstOfKind.set(key, (first = r));
      kind[byRank[r]!] = first;
      ungrouped[byRank[r]!] = first;
      block[byRank[r]!] = blockStart;
      alikeOf.push(alike);
      if (!firstAlike.has(alike)) firstAlike.set(alike, r);
      if (group === undefined && !firstUngrouped.has(alike)) firstUngrouped.set(alike, first);
    }
    endBlock(n);
    known = { kind, ungrouped, block, otherBefore, otherBeforeUngrouped };
    kinds.set(ctx, known);
  }
  return known;
}

/**
 * What `evacuate` reads of a VM besides its size and anti-affinity group, as a string: empty for most VMs
 * (no hugepages, not isolated), else its hugepage MiB and page size and whether it is isolated.
 */
function evacueeFlags(facts: VmFacts): string {
  const { hugepageSizeKiB, securityClass } = facts.vm;
  const isolated = securityClass === 'isolated';
  return facts.hugepageMiB === 0 && (hugepageSizeKiB ?? 0) === 0 && !isolated ? '' : `${facts.hugepageMiB} ${hugepageSizeKiB ?? 0} ${isolated ? 1 : 0}`;
}

/** How far apart in evacuation order `EvacueeKeys.alike` looks at the VMs between two VMs before giving up. */
const ALIKE_SCAN = 64;

/**
 * Keys of unplaced VMs as evacuees of `members` (host indices) as the ledger stands: two VMs share a key
 * only when adding either one to any member gives every failure set of those members the same first-fit
 * evacuation outcome. The key is the VM's kind of evacuee and how many VMs on the members of its size but
 * another kind precede it in evacuation order. First-fit reads of an evacuee only what its kind says, and
 * a survivor's state after taking it depends only on that too, so it makes the same choices for two
 * evacuation orders whose VMs have the same kinds in the same sequence. Two VMs of one key are alike and
 * of one size; every VM on the members of another size precedes or follows both, and of their size the
 * same number of other kinds precedes each, so only VMs of their kind can lie between them: with either
 * one added, the sequence of kinds of every failure set's evacuees is the same. (The headroom guard keys
 * its remembered refusals by it: a refusal stands for every VM of the same key on the same pool contents.)
 *
 * A VM whose anti-affinity group no VM on the members belongs to is keyed as the VM alike without a
 * group (`EvacueeKinds.ungrouped`): first-fit asks of its group only whether a survivor holds a VM of it
 * or took an evacuee of it, and with the VM added to a member neither can happen (the VM is the group's
 * only one on the members: where its member fails, it is the group's only evacuee and no survivor holds
 * the group; where it survives, no evacuee is of the group), so it is evacuated, and every other evacuee
 * is evacuated, as that VM would be. The members' VMs keep their own kinds, so counting them as other
 * kinds than the ungrouped one only keys apart VMs that might have been keyed alike.
 */
export class EvacueeKeys {
  constructor(
    private readonly ctx: PlanContext,
    private readonly ledger: Ledger,
    private readonly members: readonly number[],
  ) {}

  /** The key of unplaced VM `vm`. */
  of(vm: number): number {
    const { ctx, ledger, members } = this;
    const { rank, byRank } = evacuationOrder(ctx);
    const { kind, block } = evacueeKinds(ctx);
    const own = rank[vm]!;
    const ownKind = this.kindOf(vm);
    const ownBlock = block[vm]!;
    let before = 0;
    for (const m of members) {
      // The member's VMs of the VM's size that precede it: ranks from its block's first up to its own.
      const ranks = ranksOn(ctx, ledger, m);
      let lo = 0;
      let hi = ranks.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ranks[mid]! < ownBlock) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < ranks.length && ranks[i]! < own; i++) if (kind[byRank[ranks[i]!]!] !== ownKind) before++;
    }
    // Kinds are below twice the VM count (`ungrouped`), so keys below 2 × VMs²: exact in a double.
    return ownKind * (ctx.vms.length + 1) + before;
  }

  /**
   * Whether unplaced VMs `a` and `b` have one key, judged without listing the members' VMs: when they are
   * keyed as one kind and of their size no VM of another kind lies between them in evacuation order (in
   * the fleet, or, among the few between them, on a member). False says nothing.
   */
  alike(a: number, b: number): boolean {
    const kind = this.kindOf(a);
    if (this.kindOf(b) !== kind) return false;
    const { ctx, ledger } = this;
    const { kind: own, block, otherBefore, otherBeforeUngrouped } = evacueeKinds(ctx);
    if (block[a] !== block[b]) return false;
    const beforeA = kind === own[a] ? otherBefore[a] : otherBeforeUngrouped[a];
    const beforeB = kind === own[b] ? otherBefore[b] : otherBeforeUngrouped[b];
    if (beforeA === beforeB) return true;
    const { rank, byRank } = evacuationOrder(ctx);
    const from = Math.min(rank[a]!, rank[b]!);
    const to = Math.max(rank[a]!, rank[b]!);
    if (to - from > ALIKE_SCAN) return false;
    for (let r = from + 1; r < to; r++) {
      const u = byRank[r]!;
      const host = ledger.hostOf[u]!;
      if (own[u] !== kind && host >= 0 && this.members.includes(host)) return false;
    }
    return true;
  }

  /** The kind unplaced VM `vm` is keyed as: its own, or the ungrouped one when no member holds its group. */
  private kindOf(vm: number): number {
    const { kind, ungrouped } = evacueeKinds(this.ctx);
    const group = this.ctx.vms[vm]!.vm.antiAffinity;
    return group === undefined || this.holdsGroup(group) ? kind[vm]! : ungrouped[vm]!;
  }

  /** Whether a VM on one of the members belongs to anti-affinity group `group`. */
  private holdsGroup(group: string): boolean {
    const holders = this.ledger.antiAffinity.get(group);
    if (holders !== undefined) for (const h of holders.keys()) if (this.members.includes(h)) return true;
    return false;
  }
}

/**
 * Working arrays of `evacuate`, per survivor, reused from call to call (the headroom guard evacuates
 * hundreds of thousands of times in a large n+2 plan, and allocating them dominated); grown as needed.
 * Nothing in them outlives a call.
 */
const scratch = {
  cpuFree: new Float64Array(16),
  memoryFree: new Float64Array(16),
  hugepagesTaken: new Float64Array(16),
  tenants: new Int32Array(16),
  isolated: new Int32Array(16),
  dirty: new Uint8Array(16),
  groups: Array.from({ length: 16 }, (): string[] => []),
};

function scratchFor(n: number): typeof scratch {
  if (scratch.cpuFree.length < n) {
    const size = Math.max(n, scratch.cpuFree.length * 2);
    scratch.cpuFree = new Float64Array(size);
    scratch.memoryFree = new Float64Array(size);
    scratch.hugepagesTaken = new Float64Array(size);
    scratch.tenants = new Int32Array(size);
    scratch.isolated = new Int32Array(size);
    scratch.dirty = new Uint8Array(size);
    scratch.groups = Array.from({ length: size }, (): string[] => []);
  }
  return scratch;
}

/**
 * Re-places the VMs of `failed` hosts onto `survivors` by first-fit decreasing. `reference`, an earlier
 * evacuation of the same survivors, saves work; `changed` marks the survivors whose contents changed
 * since (its first `survivors.length` entries), and `sameFailed` says the failed hosts carry the VMs they
 * carried then (so the reference's `leaving` is this run's). A survivor's answer to "do you admit this
 * VM?" depends only on its own contents and what it took before, so a survivor still clean (same
 * contents, took exactly what it took in the reference run so far) answers a VM of the reference as it
 * answered then: it refuses when the VM went to a later survivor or nowhere, admits when the VM went to
 * it. Only the other survivors are asked; a survivor becomes dirty when the runs part ways on it (a VM
 * taken in one run and not the other). The reference may have stopped early: past its end, every survivor
 * is asked. `stopAtFailure` stops at the first VM no survivor admits (the verdict is known then; the
 * spare room is not, and is meaningless).
 */
export function evacuate(
  ctx: PlanContext,
  ledger: Ledger,
  survivors: readonly number[],
  failed: readonly number[],
  reference?: Evacuation,
  changed?: Uint8Array,
  sameFailed = false,
  stopAtFailure = false,
): Evacuation {
  const n = survivors.length;
  const { cpuFree, memoryFree, hugepagesTaken, tenants, isolated, dirty, groups } = scratchFor(n);
  for (let s = 0; s < n; s++) {
    const h = survivors[s]!;
    cpuFree[s] = ctx.hosts[h]!.capacity.cpu - ledger.cpuUsed[h]!;
    memoryFree[s] = ctx.hosts[h]!.capacity.memoryMiB - ledger.memoryUsed[h]!;
    hugepagesTaken[s] = 0;
    tenants[s] = 0;
    isolated[s] = 0;
    // Setting an array's length is slow even when nothing changes; most survivors took no group.
    if (groups[s]!.length > 0) groups[s]!.length = 0;
    dirty[s] = changed === undefined ? 0 : changed[s]!;
  }
  const leaving = sameFailed && reference !== undefined ? reference.leaving : leavingVms(ctx, ledger, failed);
  const slots: number[] = [];
  // The first dirty survivor (n when none): the clean ones before it need no asking.
  let firstDirty = 0;
  while (firstDirty < n && dirty[firstDirty] === 0) firstDirty++;
  const { rank } = evacuationOrder(ctx);
  const referenceLeaving = reference?.leaving ?? [];
  const referenceLength = reference?.slots.length ?? 0;
  let next = 0;
  let ok = true;
  for (let k = 0; k < leaving.length; k++) {
    const v = leaving[k]!;
    const facts = ctx.vms[v]!;
    // Align with the reference run (both in evacuation order): what it placed of VMs gone since leaves
    // their survivor dirty; -2 when the reference did not evacuate `v`.
    while (next < referenceLength && rank[referenceLeaving[next]!]! < rank[v]!) {
      const gone = reference!.slots[next++]!;
      if (gone >= 0) {
        dirty[gone] = 1;
        if (gone < firstDirty) firstDirty = gone;
      }
    }
    const referenceSlot = next < referenceLength && referenceLeaving[next] === v ? reference!.slots[next++]! : -2;
    let slot = -1;
    // With a reference answer, the clean survivors before the first dirty one answer as then.
    const known = referenceSlot !== -2;
    const from = known ? Math.min(firstDirty, referenceSlot < 0 ? n : referenceSlot) : 0;
    for (let s = from; s < n; s++) {
      if (known && !dirty[s]) {
        if (s === referenceSlot) {
          slot = s;
          break;
        }
        if (referenceSlot === -1 || s < referenceSlot) continue;
      }
      if (admitsEvacuee(ctx, ledger, facts, survivors[s]!, cpuFree[s]!, memoryFree[s]!, hugepagesTaken[s]!, tenants[s]!, isolated[s]!, groups[s])) {
        slot = s;
        break;
      }
    }
    if (slot !== referenceSlot) {
      // Both survivors it concerns are dirty from here on.
      if (referenceSlot >= 0) {
        dirty[referenceSlot] = 1;
        if (referenceSlot < firstDirty) firstDirty = referenceSlot;
      }
      if (slot >= 0) {
        dirty[slot] = 1;
        if (slot < firstDirty) firstDirty = slot;
      }
    }
    slots.push(slot);
    if (slot < 0) {
      ok = false;
      if (stopAtFailure) break;
      continue;
    }
    const vm = facts.vm;
    cpuFree[slot]! -= vm.vcpus;
    memoryFree[slot]! -= facts.memoryMiB;
    hugepagesTaken[slot]! += facts.hugepageMiB;
    tenants[slot]! += 1;
    if (vm.securityClass === 'isolated') isolated[slot]! += 1;
    if (vm.antiAffinity !== undefined) groups[slot]!.push(vm.antiAffinity);
  }
  let cpu = 0;
  let memoryMiB = 0;
  for (let s = 0; s < n; s++) {
    cpu += cpuFree[s]!;
    memoryMiB += memoryFree[s]!;
  }
  return { ok, spare: { cpu, memoryMiB }, leaving, slots };
}

/**
 * For how many of the first `limit` VMs of `evacuation` survivor `s` (the position in `survivors`), with
 * what the ledger now puts on it, answers first-fit's question as it answered then: it admits each VM it
 * took and refuses each VM that went to a later survivor or nowhere (VMs placed on an earlier survivor
 * never asked it). A survivor's answers depend only on its own contents and on what it took before, so
 * for the VMs on which every survivor agrees, `evacuate` makes the same choices (and when the failed
 * hosts carry the same VMs and all agree on all of them, returns the very same evacuation).
 */
export function agreesFor(ctx: PlanContext, ledger: Ledger, survivors: readonly number[], evacuation: Evacuation, s: number, limit: number): number {
  const h = survivors[s]!;
  let cpuFree = ctx.hosts[h]!.capacity.cpu - ledger.cpuUsed[h]!;
  let memoryFree = ctx.hosts[h]!.capacity.memoryMiB - ledger.memoryUsed[h]!;
  let hugepagesTaken = 0;
  let tenants = 0;
  let isolated = 0;
  let groups: string[] | undefined;
  const { leaving, slots } = evacuation;
  for (let k = 0; k < limit; k++) {
    const slot = slots[k]!;
    if (slot >= 0 && slot < s) continue;
    const facts = ctx.vms[leaving[k]!]!;
    const admits = admitsEvacuee(ctx, ledger, facts, h, cpuFree, memoryFree, hugepagesTaken, tenants, isolated, groups);
    if (admits !== (slot === s)) return k;
    if (!admits) continue;
    const vm = facts.vm;
    cpuFree -= vm.vcpus;
    memoryFree -= facts.memoryMiB;
    hugepagesTaken += facts.hugepageMiB;
    tenants += 1;
    if (vm.securityClass === 'isolated') isolated += 1;
    if (vm.antiAffinity !== undefined) (groups ??= []).push(vm.antiAffinity);
  }
  return limit;
}

/** Every set of `size` members (all members when the pool is that small), in lexicographic order. */
export function failureSets(members: readonly number[], size: number): number[][] {
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
