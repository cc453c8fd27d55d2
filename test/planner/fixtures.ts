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

/** A random pool's shape, as the headroom property tests draw it. */
export interface RandomPoolShape {
  readonly hosts: readonly { readonly cpus: number; readonly memoryGiB: number }[];
  readonly vms: readonly { readonly vcpus: number; readonly memoryGiB: number; readonly group?: string; readonly kind: 'plain' | 'hugepages' | 'isolated' }[];
}

/**
 * One migration pool `p` of hosts `kvm-<i>` (each with 2 MiB hugepages) and VMs `vm-<nn>` of the shape's
 * sizes, anti-affinity groups and kinds; `inPool` makes every VM a member of `p`.
 */
export function randomPoolFleet(
  shape: RandomPoolShape,
  options: { readonly hugepageCount: number; readonly inPool: boolean; readonly reserve?: MigrationPool['reserve'] },
): { fleet: Fleet; names: string[]; vms: Vm[] } {
  const names = shape.hosts.map((_, i) => `kvm-${i}`);
  const vms: Vm[] = shape.vms.map((v, i) =>
    vm(`vm-${String(i).padStart(2, '0')}`, {
      vcpus: v.vcpus,
      memoryMiB: v.memoryGiB * GiB,
      ...(options.inPool ? { migrationPool: 'p' } : {}),
      ...(v.group ? { antiAffinity: v.group } : {}),
      ...(v.kind === 'hugepages' ? { hugepages: true } : {}),
      ...(v.kind === 'isolated' ? { securityClass: 'isolated' as const } : {}),
    }),
  );
  const f = fleet({
    hosts: shape.hosts.map((h, i) => host(names[i]!, { cpus: h.cpus, memoryMiB: h.memoryGiB * GiB, hugepages: { sizeKiB: 2048, count: options.hugepageCount } })),
    vms,
    migrationPools: [pool('p', names, options.reserve === undefined ? {} : { reserve: options.reserve })],
  });
  return { fleet: f, names, vms };
}
