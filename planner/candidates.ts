/**
 * Candidate lists: VMs that agree on everything the indexed filters read (pinned host, hypervisor,
 * migration pool, zone, security class, CPU passthrough) share one list of the hosts those filters keep,
 * computed once. The inner loop then only runs the cheap numeric filters on the list.
 */
import type { HostFacts, PlanContext, VmFacts } from './context';
import { indexedPass } from './filters';
import type { Ledger } from './ledger';

function classKey({ vm, passthrough }: VmFacts): string {
  return [vm.host ?? '', vm.hypervisor, vm.migrationPool ?? '', vm.zone ?? '', vm.securityClass, passthrough ? 'p' : ''].join('\u0000');
}

export class CandidateIndex {
  private readonly byClass = new Map<string, Int32Array>();
  /** Per VM index, its list once looked up (the class key is a string built per call otherwise). */
  private readonly byVm: (Int32Array | undefined)[] = [];

  constructor(
    private readonly ctx: PlanContext,
    private readonly ledger: Ledger,
  ) {}

  /** Host indices (ascending, so name order) the indexed filters keep for `vm`. */
  of(vm: VmFacts): Int32Array {
    const known = this.byVm[vm.index];
    if (known !== undefined && this.ctx.vms[vm.index] === vm) return known;
    const list = this.ofClass(vm);
    if (this.ctx.vms[vm.index] === vm) this.byVm[vm.index] = list;
    return list;
  }

  private ofClass(vm: VmFacts): Int32Array {
    const key = classKey(vm);
    let list = this.byClass.get(key);
    if (!list) {
      list = this.compute(vm);
      this.byClass.set(key, list);
    }
    return list;
  }

  private compute(vm: VmFacts): Int32Array {
    // Only the hosts the pinned and migration-pool filters can keep are judged (the same list, sooner).
    let judged: readonly HostFacts[] = this.ctx.hosts;
    if (vm.vm.host !== undefined) {
      const pinned = this.ctx.hostIndex.get(vm.vm.host);
      judged = pinned === undefined ? [] : [this.ctx.hosts[pinned]!];
    } else if (vm.vm.migrationPool !== undefined) {
      judged = this.membersOf(vm.vm.migrationPool);
    }
    const kept: number[] = [];
    for (const host of judged) if (indexedPass(this.ctx, this.ledger, vm, host)) kept.push(host.index);
    return Int32Array.from(kept);
  }

  /** Per migration pool, the hosts that are members (in index order), computed once. */
  private members: Map<string, HostFacts[]> | undefined;

  private membersOf(pool: string): readonly HostFacts[] {
    if (!this.members) {
      this.members = new Map();
      for (const host of this.ctx.hosts) {
        for (const p of host.pools) {
          const list = this.members.get(p);
          if (list) list.push(host);
          else this.members.set(p, [host]);
        }
      }
    }
    return this.members.get(pool) ?? [];
  }
}

/** Whether sorted `list` holds `value` (candidate lists are ascending host indices). */
export function holds(list: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = list[mid]!;
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
