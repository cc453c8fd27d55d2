/**
 * The best-host placer: for one VM, the best-scoring host among its candidates that the filters keep
 * and, through the headroom guard, that keeps every guarded migration pool's headroom.
 */
import { CandidateIndex } from './candidates';
import type { HostFacts, PlanContext, VmFacts } from './context';
import { admitsOnCandidate, fitsCapacity } from './filters';
import { HeadroomGuard } from './headroom-guard';
import { HostRankings } from './host-ranking';
import type { Ledger } from './ledger';
import { totalScore } from './weighers';

/** What an empty host's score depends on: its capacity, and its zone for VMs with an anti-affinity group. */
interface EmptyHostKey {
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly zone: string | undefined;
}

function seenCapacity(seen: readonly EmptyHostKey[], host: HostFacts, zone: string | undefined): boolean {
  return seen.some((key) => key.cpu === host.capacity.cpu && key.memoryMiB === host.capacity.memoryMiB && key.zone === zone);
}

/** Hosts `bestKeeping` picks one by one, best first, before it sorts the rest. */
const PICKS_BEFORE_SORT = 8;

/** A host admitted for a VM and its score, as `bestKeeping` ranks them. */
interface RankedHost {
  readonly h: number;
  readonly score: number;
}

/** Everything the placement steps share while one plan runs. */
export class Placer {
  readonly candidates: CandidateIndex;
  /** VMs kept from the lock file; nothing moves them. */
  readonly kept: Uint8Array;
  readonly guard: HeadroomGuard;
  readonly rankings: HostRankings;

  constructor(
    readonly ctx: PlanContext,
    readonly ledger: Ledger,
  ) {
    this.candidates = new CandidateIndex(ctx, ledger);
    this.kept = new Uint8Array(ctx.vms.length);
    this.guard = new HeadroomGuard(ctx, ledger);
    this.rankings = new HostRankings(ctx, ledger);
  }

  /**
   * Best host for an unplaced VM among its candidates, or -1. `exclude` skips one host; `usedOnly`
   * considers only hosts that already carry a VM (local search must not open hosts).
   */
  bestHost(vm: VmFacts, exclude = -1, usedOnly = false): number {
    const { ctx, ledger } = this;
    const { tenants } = ledger;
    const locked = ctx.lockedHost[vm.index]!;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    // An empty host's score depends only on its capacity, its zone for grouped VMs (zone spread), and on
    // whether it is the locked host: of empty hosts alike only the first (lowest index, which wins ties
    // anyway) is scored.
    const emptySeen: EmptyHostKey[] = [];
    const zoned = ctx.strategy === 'spread' && (vm.vm.antiAffinity !== undefined || vm.vm.softAntiAffinity !== undefined);
    for (const h of this.candidates.of(vm)) {
      if (h === exclude) continue;
      const empty = tenants[h] === 0;
      const zone = zoned ? ctx.hosts[h]!.host.zone : undefined;
      if (empty && (usedOnly || (h !== locked && seenCapacity(emptySeen, ctx.hosts[h]!, zone)))) continue;
      const host = ctx.hosts[h]!;
      // The capacity test first, on its own: most hosts of a big plan are full.
      if (!fitsCapacity(ledger, vm, host) || !admitsOnCandidate(ctx, ledger, vm, host)) continue;
      const score = totalScore(ctx, ledger, vm, host);
      if (empty && h !== locked) emptySeen.push({ cpu: host.capacity.cpu, memoryMiB: host.capacity.memoryMiB, zone });
      if (score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  }

  /** Best host for an unplaced VM (as `bestHost`) that also keeps guarded headroom, or -1. */
  bestKeeping(vm: VmFacts, exclude = -1, usedOnly = false): number {
    // The kept ranking asks the guard of the same hosts in the same order as the scoring below.
    if (this.rankings.covers(vm)) {
      return this.rankings.firstAccepted(vm, this.candidates.of(vm), exclude, usedOnly, (h) => this.guard.keepsHeadroom(vm.index, h), this.guard);
    }
    const first = this.bestHost(vm, exclude, usedOnly);
    if (first < 0 || this.guard.keepsHeadroom(vm.index, first)) return first;
    // Refused: score every admitted host once, then try them best first (score, then index, as
    // bestHost). Usually the next one or two keep headroom, so they are picked one at a time rather than
    // sorted; after a few refusals the rest is sorted once.
    const { ctx, ledger } = this;
    const ranked: RankedHost[] = [];
    for (const h of this.candidates.of(vm)) {
      if (h === exclude || h === first || (usedOnly && ledger.tenants[h] === 0)) continue;
      const host = ctx.hosts[h]!;
      if (!admitsOnCandidate(ctx, ledger, vm, host)) continue;
      ranked.push({ h, score: totalScore(ctx, ledger, vm, host) });
    }
    for (let picks = 0; picks < PICKS_BEFORE_SORT && ranked.length > 0; picks++) {
      // `ranked` is in index order: the first of the highest scores is the one a sort puts first.
      let best = 0;
      for (let j = 1; j < ranked.length; j++) if (ranked[j]!.score > ranked[best]!.score) best = j;
      const { h } = ranked[best]!;
      if (this.guard.keepsHeadroom(vm.index, h)) return h;
      ranked.splice(best, 1);
    }
    ranked.sort((a, b) => b.score - a.score || a.h - b.h);
    for (const { h } of ranked) if (this.guard.keepsHeadroom(vm.index, h)) return h;
    return -1;
  }

  /** Places an unplaced VM on its best host that keeps guarded headroom; false when there is none. */
  place(vm: VmFacts): boolean {
    const h = this.bestKeeping(vm);
    if (h < 0) return false;
    this.ledger.assign(vm.index, h);
    return true;
  }
}
