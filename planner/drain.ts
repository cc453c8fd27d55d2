/**
 * Draining a host: where each of its VMs goes when the host leaves the fleet (a new plan without it,
 * locked to the current plan, so no other VM moves), and whether each can live-migrate there.
 */
import type { Fleet, Host, Vm } from '../fleet/model';
import type { Lock } from './lock';
import { plan } from './plan';

export interface DrainStep {
  readonly vm: string;
  /** Target host; undefined when no host can take the VM. */
  readonly to?: string;
  /** `virsh … migrate --live …` when the VM can live-migrate to its target. */
  readonly command?: string;
  /** Why the VM cannot live-migrate (or has no target); undefined when `command` is set. */
  readonly reason?: string;
}

export interface DrainPlan {
  readonly host: string;
  readonly steps: readonly DrainStep[];
}

export type DrainResult = { readonly ok: true; readonly drain: DrainPlan } | { readonly ok: false; readonly problem: string };

/**
 * Live migration needs one migration pool holding both hosts, the same hypervisor, shared storage in
 * that pool (research MIG-STORAGE), no host-passthrough CPU unless the pool's hosts share a CPU model
 * (KVM-CPU-MODE), and no passed-through PCI devices (MIG-KVM-PASSTHROUGH, MIG-XEN-LIMITS).
 */
export function liveMigrationBlocker(fleet: Fleet, vm: Vm, source: Host, target: Host): string | undefined {
  if (source.hypervisor !== target.hypervisor) return `${source.name} runs ${source.hypervisor} and ${target.name} ${target.hypervisor}: no live migration between hypervisors`;
  const pool = fleet.migrationPools.find((p) => p.hosts.includes(source.name) && p.hosts.includes(target.name));
  if (!pool) return `${source.name} and ${target.name} share no migration pool`;
  if (pool.sharedStorage === undefined) return `migration pool ${pool.name} has no shared storage`;
  if (vm.hostdevs.length > 0) return `passes through PCI devices (${vm.hostdevs.join(', ')})`;
  const passthrough = vm.cpuMode === 'host-passthrough' || (vm.cpuMode === undefined && pool.cpuModel === 'host-passthrough');
  if (passthrough) {
    const models = new Set(pool.hosts.map((name) => fleet.hosts.find((h) => h.name === name)?.cpuModel ?? 'unknown'));
    if (models.size > 1 || models.has('unknown')) return `host-passthrough CPU and the hosts of migration pool ${pool.name} differ in CPU model`;
  }
  return undefined;
}

export function migrateCommand(vm: string, source: Host, target: Host): string {
  return `virsh -c ${source.uri} migrate --live --persistent --undefinesource ${vm} ${target.uri}`;
}

export function drain(fleet: Fleet, hostName: string, lock?: Lock): DrainResult {
  const source = fleet.hosts.find((h) => h.name === hostName);
  if (!source) return { ok: false, problem: `no host named ${hostName} in the fleet` };
  const current = plan(fleet, lock);
  const without: Fleet = { ...fleet, hosts: fleet.hosts.filter((h) => h.name !== hostName) };
  const after = plan(without, { version: 1, placements: current.placements });
  const onHost = Object.keys(current.placements).filter((vm) => current.placements[vm] === hostName).sort();
  const steps = onHost.map((name): DrainStep => {
    const to = after.placements[name];
    if (to === undefined) {
      const reasons = after.unplaced.find((u) => u.vm === name)?.reasons ?? {};
      const first = Object.entries(reasons)[0];
      return { vm: name, reason: `no host can take it${first ? ` (e.g. ${first[0]}: ${first[1]})` : ''}` };
    }
    const vm = fleet.vms.find((v) => v.name === name)!;
    const target = fleet.hosts.find((h) => h.name === to)!;
    const blocker = liveMigrationBlocker(fleet, vm, source, target);
    return blocker === undefined ? { vm: name, to, command: migrateCommand(name, source, target) } : { vm: name, to, reason: blocker };
  });
  return { ok: true, drain: { host: hostName, steps } };
}
