/** Builds the `RuleContext` once per evaluation: lookups and effective VMs that every rule shares. */
import { effectiveVm } from '../fleet/effective-vm';
import { fleetIndex } from '../fleet/fleet-index';
import type { Fleet, Host, Hypervisor } from '../fleet/model';
import type { Placement } from '../planner/types';
import type { JudgedVm, RuleContext } from './rule';
import type { Thresholds } from './thresholds';

export function buildContext(fleet: Fleet, placement: Placement, thresholds: Thresholds): RuleContext {
  const { hosts, storagePools, migrationPools } = fleetIndex(fleet);
  const judged: JudgedVm[] = [];
  const judgedBy: Record<Hypervisor, JudgedVm[]> = { kvm: [], xen: [] };
  const placedOn = new Map<string, JudgedVm[]>();
  // Indexed: a `for…of` loop not yet optimized makes an iteration result per VM (20,000).
  for (let i = 0; i < fleet.vms.length; i += 1) {
    const vm = fleet.vms[i]!;
    const hostName = placement.placements[vm.name];
    const host: Host | undefined = hostName === undefined ? undefined : hosts.get(hostName);
    // What is synthesized follows the host; an unplaced VM is judged by its declared hypervisor, and an
    // unplaced `auto` VM has no device decisions yet.
    const hypervisor: Hypervisor | undefined = host?.hypervisor ?? (vm.hypervisor === 'auto' ? undefined : vm.hypervisor);
    if (!hypervisor) continue;
    const target = `vms[${vm.name}]`;
    const effective = effectiveVm(fleet, vm, hypervisor);
    // Two literals rather than a conditional spread: one object per VM, no runtime spread (20,000 VMs).
    const entry: JudgedVm = host ? { vm, target, host, effective } : { vm, target, effective };
    judged.push(entry);
    judgedBy[hypervisor].push(entry);
    if (host) {
      const list = placedOn.get(host.name);
      if (list) list.push(entry);
      else placedOn.set(host.name, [entry]);
    }
  }
  return {
    fleet,
    placement,
    thresholds,
    hosts,
    storagePools,
    migrationPools,
    judged,
    judgedBy,
    placedOn,
    hypervisors: new Set(fleet.hosts.map((h) => h.hypervisor)),
    zones: new Set(fleet.hosts.flatMap((h) => (h.zone === undefined ? [] : [h.zone]))),
  };
}
