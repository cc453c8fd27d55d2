/** Fleets built in code for planner tests: plain `Fleet` objects with small, readable defaults. */
import type { Fleet, Host, MigrationPool, PlacementStrategy, StoragePool, Vm } from '../../fleet/model';
import { minimalVm } from '../support/model';

export const GiB = 1024;

export function host(name: string, overrides: Partial<Host> = {}): Host {
  const hypervisor = overrides.hypervisor ?? (name.startsWith('xen') ? 'xen' : 'kvm');
  const cpus = overrides.cpus ?? 32;
  const memoryMiB = overrides.memoryMiB ?? 128 * GiB;
  return {
    name,
    hypervisor,
    uri: hypervisor === 'kvm' ? `qemu+ssh://root@${name}/system` : `xen+ssh://root@${name}/system`,
    cpus,
    memoryMiB,
    cpuFlags: [],
    numaNodes: [{ cpus, memoryMiB }],
    labels: {},
    overcommit: { cpu: 1, memory: 1 },
    ...(hypervisor === 'kvm' ? { reserved: { cpus: 0, memoryMiB: 0 } } : {}),
    ...overrides,
  };
}

export function vm(name: string, overrides: Partial<Vm> = {}): Vm {
  return { ...minimalVm(name), ...overrides };
}

export function pool(name: string, hosts: readonly string[], overrides: Partial<MigrationPool> = {}): MigrationPool {
  return { name, hypervisor: 'kvm', hosts, cpuModel: 'host-model', reserve: 'none', ...overrides };
}

export interface FleetParts {
  readonly hosts: readonly Host[];
  readonly vms?: readonly Vm[];
  readonly migrationPools?: readonly MigrationPool[];
  readonly pools?: readonly StoragePool[];
  readonly strategy?: PlacementStrategy;
}

export function fleet(parts: FleetParts): Fleet {
  const hypervisorDefaults = { overcommit: { cpu: 1, memory: 1 }, vm: {} };
  return {
    apiVersion: 'hyperplan/v1',
    defaults: { kvm: hypervisorDefaults, xen: hypervisorDefaults, placement: { strategy: parts.strategy ?? 'spread' } },
    hosts: parts.hosts,
    migrationPools: parts.migrationPools ?? [],
    networks: [],
    pools: parts.pools ?? [],
    images: [],
    vms: parts.vms ?? [],
    stacks: [],
    locations: {},
  };
}
