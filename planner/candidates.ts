/**
 * Candidate lists: VMs that agree on everything the indexed filters read (pinned host, hypervisor,
 * migration pool, zone, security class, CPU passthrough) share one list of the hosts those filters keep,
 * computed once. The inner loop then only runs the cheap numeric filters on the list.
 */
import type { PlanContext, VmFacts } from './context';
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
    const pinned = vm.vm.host === undefined ? undefined : this.ctx.hostIndex.get(vm.vm.host);
    const pool = vm.vm.host === undefined ? this.ctx.hosts : pinned === undefined ? [] : [this.ctx.hosts[pinned]!];
    const kept: number[] = [];
    for (const host of pool) if (indexedPass(this.ctx, this.ledger, vm, host)) kept.push(host.index);
    return Int32Array.from(kept);
  }
}
