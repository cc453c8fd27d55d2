/** The stacks synthesis builds: the declared ones, or one per hypervisor kind present. */
import type { Fleet, StackSpec } from './model';
import { defaultStatePath } from './normalize';
import { HYPERVISORS } from './vocabulary';

/** `stacks` of the fleet, or one stack per hypervisor kind present (`kvm`, `xen`) with local state. */
export function stackSpecs(fleet: Pick<Fleet, 'stacks' | 'hosts'>): readonly StackSpec[] {
  if (fleet.stacks.length > 0) return fleet.stacks;
  return HYPERVISORS
    .map((kind) => ({ name: kind, hosts: fleet.hosts.filter((h) => h.hypervisor === kind).map((h) => h.name) }))
    .filter((s) => s.hosts.length > 0)
    .map((s) => ({ ...s, backend: { type: 'local', config: { path: defaultStatePath(s.name) } } }));
}

