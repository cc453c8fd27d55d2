/**
 * Host rankings kept up to date from placement to placement, so the placer need not score every
 * candidate host of every VM again (at 1,000 hosts that rescoring was most of a plan's time).
 *
 * VMs alike in everything the placer's demand filters and score read of them (`admitsDemand`,
 * `demandScore`: vCPUs, charged memory, hugepages, local disks, isolation, strict NUMA) and sharing a
 * candidate list share one ranking: per candidate host its score, or −∞ when those filters refuse it, in
 * a tournament tree whose root is the best host (highest score, then lowest index, as the placer breaks
 * ties). A host's score and admission depend only on what the host carries and its capacity scale, so
 * when the ranking is next asked, only the hosts the ledger changed since are scored again (the
 * ledger's change ring names them; a host whose contents are as they were is skipped).
 *
 * A VM's groups and lock are not in the ranking. A hard anti-affinity member's hosts are masked out of it
 * for the query (the filter's verdict); a VM whose score or admission would also depend on a group or a
 * lock (a soft anti-affinity penalty, zone spread, an affinity group already placed, stickiness) or on
 * fleet-wide state (a shared storage pool with a capacity) is not covered, and the placer scores its
 * candidates one by one as before.
 *
 * A host the acceptance test refuses is masked for the rest of the query; when the test remembers the
 * refusal (`RefusalMemory`: the headroom guard remembers a pool's refusals for every VM keyed alike until
 * the pool's contents change), the host stays out of the ranking's tree after the query too, with the
 * hosts refused alike, until a VM asks that the memory would not refuse alike. VMs alike come one after
 * another, and at 5,000 hosts each walked past some hundred hosts the guard had refused for the one before.
 */
import type { PlanContext, VmFacts } from './context';
import { admitsDemand } from './filters';
import type { Ledger } from './ledger';
import { demandScore } from './weighers';

/** What stands for refusals an acceptance test remembers; opaque to the rankings. */
export interface RefusalMark {
  readonly key: number;
}

/** An acceptance test's memory of its refusals, for a ranking to keep the hosts it refused out of later queries. */
export interface RefusalMemory {
  /** What stands for the refusal the test gave last, or undefined when it remembers none (or accepted). */
  lastRefusal(): RefusalMark | undefined;
  /** Whether the test refuses `vm` on every host where it gave the refusals `mark` stands for. */
  refusesAlike(mark: RefusalMark, vm: number): boolean;
}

/** One ranking: the candidate hosts of a kind of VM, scored, with the best at the root of a tournament tree. */
interface Ranking {
  /** The candidate list (host indices, ascending). */
  readonly hosts: Int32Array;
  /** Per host index, its position in `hosts`, or -1. */
  readonly positions: Int32Array;
  /** The first VM of this kind: the one the scores are computed for (any other VM of the kind scores alike). */
  readonly representative: VmFacts;
  /** Only hosts already in use are admitted (local search must not open hosts). */
  readonly usedOnly: boolean;
  /** Per position, the score, or −∞ when refused. */
  readonly scores: Float64Array;
  /** Leaves at `leaves + position`; each inner node holds the position of the better of its children (-1: none). */
  readonly winners: Int32Array;
  readonly leaves: number;
  /** Per position, the host's content hash and capacity scale when last scored. */
  readonly low: Int32Array;
  readonly high: Int32Array;
  readonly scale: Float64Array;
  /** The ledger's change count when the ranking was last brought up to date (-1: never). */
  synced: number;
  /** Positions kept out of the tree (score −∞) for a remembered refusal, by what stands for it. */
  readonly parked: Map<RefusalMark, number[]>;
  /** Per position, whether it is parked, and then its score (allocated at the first park). */
  isParked: Uint8Array | undefined;
  parkedScores: Float64Array | undefined;
}

/** Host scores computed again for a query (the work `test/planner/placer-work.test.ts` pins). */
export interface RankingWork {
  scored: number;
}

export class HostRankings {
  private readonly byList = new Map<Int32Array, { readonly positions: Int32Array; readonly kinds: Map<string, Ranking> }>();
  /** Per VM index, its ranking once looked up, for usedOnly false (0) and true (1); filled in placement order, so allocated whole. */
  private readonly byVm: [(Ranking | undefined)[], (Ranking | undefined)[]];
  /** Positions masked during a query and their scores, to restore after it. */
  private readonly maskedPositions: number[] = [];
  private readonly maskedScores: number[] = [];
  readonly work: RankingWork = { scored: 0 };

  constructor(
    private readonly ctx: PlanContext,
    private readonly ledger: Ledger,
  ) {
    this.byVm = [new Array<Ranking | undefined>(ctx.vms.length).fill(undefined), new Array<Ranking | undefined>(ctx.vms.length).fill(undefined)];
  }

  /**
   * Whether a ranking answers for `vm` as the ledger stands: no lock (stickiness), no soft anti-affinity,
   * a hard anti-affinity group without soft members and not zone-spread (pack), no affinity group placed
   * yet, no shared limited storage.
   */
  covers(vm: VmFacts): boolean {
    const { ctx, ledger } = this;
    const { vm: spec } = vm;
    if (ctx.lockedHost[vm.index]! >= 0 || spec.softAntiAffinity !== undefined) return false;
    if (spec.antiAffinity !== undefined && (ctx.strategy === 'spread' || (ledger.softAntiAffinity.get(spec.antiAffinity)?.size ?? 0) > 0)) return false;
    if (spec.affinity !== undefined && (ledger.affinity.get(spec.affinity)?.size ?? 0) > 0) return false;
    for (const disk of vm.disks) if (disk.shared) return false;
    return true;
  }

  /**
   * The first of `vm`'s admitted candidate hosts, best first (score, then index), that `accept` takes,
   * or -1; `exclude` skips one host, `usedOnly` admits only hosts in use. `accept` is asked of the hosts
   * in that order until it takes one, exactly as a sorted list would ask it, but for the hosts `memory`
   * says it would refuse as it refused them for an earlier VM. Only for VMs it `covers`.
   */
  firstAccepted(vm: VmFacts, hosts: Int32Array, exclude: number, usedOnly: boolean, accept: (h: number) => boolean, memory?: RefusalMemory): number {
    const ranking = this.rankingOf(vm, hosts, usedOnly);
    this.bringUpToDate(ranking);
    if (memory !== undefined) this.unparkUnlike(ranking, memory, vm.index);
    const { positions, scores, winners } = ranking;
    if (exclude >= 0) this.mask(ranking, positions[exclude]!);
    const group = vm.vm.antiAffinity === undefined ? undefined : this.ledger.antiAffinity.get(vm.vm.antiAffinity);
    if (group !== undefined) for (const h of group.keys()) this.mask(ranking, positions[h]!);
    let chosen = -1;
    for (;;) {
      const best = winners[1]!;
      if (best < 0 || scores[best] === Number.NEGATIVE_INFINITY) break;
      const h = ranking.hosts[best]!;
      if (accept(h)) {
        chosen = h;
        break;
      }
      const mark = memory?.lastRefusal();
      if (mark === undefined) this.mask(ranking, best);
      else this.park(ranking, best, mark);
    }
    const { maskedPositions, maskedScores } = this;
    for (let i = maskedPositions.length - 1; i >= 0; i--) {
      scores[maskedPositions[i]!] = maskedScores[i]!;
      replay(ranking, maskedPositions[i]!);
    }
    maskedPositions.length = 0;
    maskedScores.length = 0;
    return chosen;
  }

  /** Takes a position out of the ranking until the query ends. */
  private mask(ranking: Ranking, position: number): void {
    if (position < 0 || ranking.scores[position] === Number.NEGATIVE_INFINITY) return;
    this.maskedPositions.push(position);
    this.maskedScores.push(ranking.scores[position]!);
    ranking.scores[position] = Number.NEGATIVE_INFINITY;
    replay(ranking, position);
  }

  /** Takes a position out of the ranking for as long as what `mark` stands for refuses the VMs asking. */
  private park(ranking: Ranking, position: number, mark: RefusalMark): void {
    const isParked = (ranking.isParked ??= new Uint8Array(ranking.hosts.length));
    const parkedScores = (ranking.parkedScores ??= new Float64Array(ranking.hosts.length));
    parkedScores[position] = ranking.scores[position]!;
    isParked[position] = 1;
    ranking.scores[position] = Number.NEGATIVE_INFINITY;
    replay(ranking, position);
    const parked = ranking.parked.get(mark);
    if (parked === undefined) ranking.parked.set(mark, [position]);
    else parked.push(position);
  }

  /** Puts back into the ranking the positions parked for refusals `memory` would not give `vm` alike. */
  private unparkUnlike(ranking: Ranking, memory: RefusalMemory, vm: number): void {
    const { isParked, parkedScores } = ranking;
    if (isParked === undefined || parkedScores === undefined) return;
    for (const [mark, parked] of ranking.parked) {
      if (memory.refusesAlike(mark, vm)) continue;
      for (const p of parked) {
        isParked[p] = 0;
        ranking.scores[p] = parkedScores[p]!;
        replay(ranking, p);
      }
      ranking.parked.delete(mark);
    }
  }

  private rankingOf(vm: VmFacts, hosts: Int32Array, usedOnly: boolean): Ranking {
    const perVm = this.byVm[usedOnly ? 1 : 0];
    const known = perVm[vm.index];
    if (known !== undefined && known.hosts === hosts && this.ctx.vms[vm.index] === vm) return known;
    let list = this.byList.get(hosts);
    if (!list) {
      const positions = new Int32Array(this.ctx.hosts.length).fill(-1);
      hosts.forEach((h, p) => (positions[h] = p));
      list = { positions, kinds: new Map() };
      this.byList.set(hosts, list);
    }
    const key = kindKey(vm, usedOnly);
    let ranking = list.kinds.get(key);
    if (!ranking) {
      ranking = newRanking(hosts, list.positions, vm, usedOnly);
      list.kinds.set(key, ranking);
    }
    if (this.ctx.vms[vm.index] === vm) perVm[vm.index] = ranking;
    return ranking;
  }

  /** Scores again the hosts whose contents or capacity scale changed since the ranking was last asked. */
  private bringUpToDate(ranking: Ranking): void {
    const { ledger } = this;
    const { changedHosts: ring, changes, contentLow, contentHigh, capacityScale } = ledger;
    const mask = ring.length - 1;
    if (ranking.synced < 0 || changes - ranking.synced > ring.length) {
      for (let p = 0; p < ranking.hosts.length; p++) this.score(ranking, p);
      for (let i = ranking.leaves - 1; i >= 1; i--) ranking.winners[i] = better(ranking.scores, ranking.winners[2 * i]!, ranking.winners[2 * i + 1]!);
    } else {
      for (let c = ranking.synced; c < changes; c++) {
        const h = ring[c & mask]!;
        const p = ranking.positions[h]!;
        if (p < 0 || (contentLow[h] === ranking.low[p] && contentHigh[h] === ranking.high[p] && capacityScale[h] === ranking.scale[p])) continue;
        this.score(ranking, p);
        replay(ranking, p);
      }
    }
    ranking.synced = changes;
  }

  private score(ranking: Ranking, p: number): void {
    const { ctx, ledger } = this;
    const h = ranking.hosts[p]!;
    const host = ctx.hosts[h]!;
    const vm = ranking.representative;
    this.work.scored += 1;
    ranking.low[p] = ledger.contentLow[h]!;
    ranking.high[p] = ledger.contentHigh[h]!;
    ranking.scale[p] = ledger.capacityScale[h]!;
    const admitted = (!ranking.usedOnly || ledger.tenants[h]! > 0) && admitsDemand(ctx, ledger, vm, host);
    const score = admitted ? demandScore(ctx, ledger, vm, host) : Number.NEGATIVE_INFINITY;
    // A parked host stays out of the tree; its score waits for it to come back.
    if (ranking.isParked?.[p]) ranking.parkedScores![p] = score;
    else ranking.scores[p] = score;
  }
}

/** What a ranking's scores read of a VM (besides the candidate list): VMs with equal keys score alike. */
function kindKey({ vm, memoryMiB, hugepageMiB, disks }: VmFacts, usedOnly: boolean): string {
  const isolated = vm.securityClass === 'isolated' ? 'isolated' : '';
  const strict = vm.numa === 'strict' ? `strict ${vm.memoryMiB}` : '';
  // Pool names are free text: JSON keeps two disk lists apart.
  const limited = disks.length === 0 ? '' : JSON.stringify(disks);
  return `${vm.vcpus}|${memoryMiB}|${hugepageMiB}|${vm.hugepageSizeKiB ?? ''}|${isolated}|${strict}|${limited}|${usedOnly ? 'used' : ''}`;
}

function newRanking(hosts: Int32Array, positions: Int32Array, representative: VmFacts, usedOnly: boolean): Ranking {
  let leaves = 1;
  while (leaves < hosts.length) leaves *= 2;
  const winners = new Int32Array(2 * leaves).fill(-1);
  for (let p = 0; p < hosts.length; p++) winners[leaves + p] = p;
  const n = hosts.length;
  return {
    hosts,
    positions,
    representative,
    usedOnly,
    scores: new Float64Array(n),
    winners,
    leaves,
    low: new Int32Array(n),
    high: new Int32Array(n),
    scale: new Float64Array(n),
    synced: -1,
    parked: new Map(),
    isParked: undefined,
    parkedScores: undefined,
  };
}

/** The better of two positions: the higher score, the lower position (lower host index) on a tie; -1 is none. */
function better(scores: Float64Array, a: number, b: number): number {
  if (b < 0) return a;
  if (a < 0) return b;
  return scores[b]! > scores[a]! ? b : a;
}

/** Replays the matches above a position whose score changed. */
function replay(ranking: Ranking, position: number): void {
  const { scores, winners } = ranking;
  for (let i = (ranking.leaves + position) >> 1; i >= 1; i >>= 1) winners[i] = better(scores, winners[2 * i]!, winners[2 * i + 1]!);
}
