/**
 * Why a VM is where it is: for every host, each filter's verdict and each weigher's score, judged against
 * the final plan with the VM itself taken out.
 */
import type { Fleet, Vm } from '../fleet/model';
import { guestPhysicalCpus } from './capacity';
import type { HostFacts } from './context';
import { checkFilter, FILTERS } from './filters';
import type { Lock } from './lock';
import { runPlan } from './plan';
import { WEIGHERS } from './weighers';

export interface FilterVerdict {
  readonly filter: string;
  readonly pass: boolean;
  readonly reason?: string;
}

export interface WeigherScore {
  readonly weigher: string;
  readonly weight: number;
  readonly score: number;
}

/** How a host's memory becomes the share guests may use. */
export interface HostMemory {
  readonly totalMiB: number;
  /** Kept for Dom0 (Xen) or the host OS (KVM), as `reservedFor` says. */
  readonly reservedMiB: number;
  readonly reservedFor: 'Dom0' | 'host OS';
  /** The Xen hypervisor and its crash kernel (0 on KVM). */
  readonly hypervisorMiB: number;
  /** The hugepage pool, kept for hugepage-backed guests. */
  readonly hugepageMiB: number;
  readonly overcommit: number;
  /** What regular guests may use: (total − reserved − hypervisor − hugepages) × overcommit. */
  readonly usableMiB: number;
}

/** What the VM asks of a host. */
export interface VmDemand {
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** Host memory beyond the guest's RAM: QEMU on KVM, Xen's paging memory; the larger for `auto` VMs. */
  readonly overheadMiB: number;
  /** Taken from the host's hugepage pool instead of its regular memory. */
  readonly hugepageMiB: number;
}

export interface HostExplanation {
  readonly host: string;
  readonly memory: HostMemory;
  /** Facts a filter does not act on but an operator should know (a VM wider than the host …). */
  readonly notes: readonly string[];
  /** Every filter, in the order they are applied. */
  readonly filters: readonly FilterVerdict[];
  readonly eligible: boolean;
  /** Weigher scores; empty when a filter removed the host. */
  readonly weighers: readonly WeigherScore[];
  readonly total?: number;
}

export interface Explanation {
  readonly vm: string;
  readonly demand: VmDemand;
  /** The host the plan chose, undefined when the VM stays unplaced. */
  readonly chosen?: string;
  readonly hosts: readonly HostExplanation[];
}

function hostMemory({ host, capacity }: HostFacts): HostMemory {
  return {
    totalMiB: host.memoryMiB,
    reservedMiB: capacity.reservedMemoryMiB,
    reservedFor: host.hypervisor === 'xen' ? 'Dom0' : 'host OS',
    hypervisorMiB: capacity.hypervisorMemoryMiB,
    hugepageMiB: capacity.hugepageMiB,
    overcommit: host.overcommit.memory,
    usableMiB: capacity.memoryMiB,
  };
}

/**
 * A guest with more vCPUs than the host has physical CPUs left for guests has vCPUs that wait for each
 * other's cores: a spinning vCPU can wait on a lock holder that is not running (lock-holder preemption),
 * so the guest gets slower the more vCPUs it has (the PLC-VM-WIDER-THAN-HOST rule warns).
 */
function widerThanHost(vm: Vm, host: HostFacts): string | undefined {
  const physical = guestPhysicalCpus(host.host, host.capacity);
  if (vm.vcpus <= physical) return undefined;
  const kept = host.host.hypervisor === 'xen' ? 'Dom0' : 'the host OS';
  return (
    `VM has ${vm.vcpus} vCPUs, more than the ${physical} physical CPUs host ${host.host.name} has for guests ` +
    `(${host.host.cpus} less ${host.capacity.reservedCpu} for ${kept}): its vCPUs would wait for each other's cores`
  );
}

export type ExplainResult = { readonly ok: true; readonly explanation: Explanation } | { readonly ok: false; readonly problem: string };

export function explain(fleet: Fleet, vmName: string, lock?: Lock): ExplainResult {
  const { ctx, ledger, result } = runPlan(fleet, lock);
  const index = ctx.vmIndex.get(vmName);
  if (index === undefined) return { ok: false, problem: `no VM named ${vmName} in the fleet` };
  const vm = ctx.vms[index]!;
  ledger.unassign(index);
  const hosts = ctx.hosts.map((host): HostExplanation => {
    const wider = widerThanHost(vm.vm, host);
    const facts = { host: host.host.name, memory: hostMemory(host), notes: wider === undefined ? [] : [wider] };
    const filters = FILTERS.map((filter): FilterVerdict => {
      const verdict = checkFilter(filter, ctx, ledger, vm, host);
      return verdict.pass ? { filter: filter.name, pass: true } : { filter: filter.name, pass: false, reason: verdict.reason };
    });
    const eligible = filters.every((f) => f.pass);
    if (!eligible) return { ...facts, filters, eligible, weighers: [] };
    const weighers = WEIGHERS.map((w) => ({ weigher: w.name, weight: w.weight, score: w.score(ctx, ledger, vm, host) }));
    return { ...facts, filters, eligible, weighers, total: weighers.reduce((sum, w) => sum + w.weight * w.score, 0) };
  });
  const chosen = result.placements[vmName];
  const demand: VmDemand = {
    vcpus: vm.vm.vcpus,
    memoryMiB: vm.vm.memoryMiB,
    overheadMiB: vm.overheadMiB,
    hugepageMiB: vm.hugepageMiB,
  };
  return { ok: true, explanation: { vm: vmName, demand, ...(chosen === undefined ? {} : { chosen }), hosts } };
}
