/**
 * Typed fleets for policy tests, built in code (independent of the YAML loader). Every default is
 * compliant with the built-in rules, so a test changes only what its case is about.
 */
import type { Disk, Fleet, Host, MigrationPool, StoragePool, Vm, VmNic } from '../../fleet/model';
import { Secret } from '../../fleet/secret';
import type { Placement, PoolHeadroom } from '../../planner/types';
import { buildContext } from '../../policies/context';
import type { Rule, RuleContext, RuleResult } from '../../policies/rule';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../policies/thresholds';
import { minimalVm } from '../support/model';

const GiB = 1024;

export function kvmHost(name: string, overrides: Partial<Host> = {}): Host {
  return {
    name,
    hypervisor: 'kvm',
    uri: `qemu+ssh://root@${name}/system`,
    cpus: 64,
    memoryMiB: 512 * GiB,
    cpuModel: 'EPYC-Milan',
    cpuVendor: 'AMD',
    cpuFlags: [],
    numaNodes: [{ cpus: 64, memoryMiB: 512 * GiB }],
    zone: 'rack-a',
    labels: {},
    overcommit: { cpu: 4, memory: 1 },
    reserved: { memoryMiB: 16 * GiB, cpus: 2 },
    ksm: false,
    iommu: true,
    ...overrides,
  };
}

export function xenHost(name: string, overrides: Partial<Host> = {}): Host {
  return {
    name,
    hypervisor: 'xen',
    uri: `xen+ssh://root@${name}/system`,
    cpus: 32,
    memoryMiB: 256 * GiB,
    cpuModel: 'Xeon-Gold-6338',
    cpuVendor: 'Intel',
    cpuFlags: [],
    numaNodes: [{ cpus: 32, memoryMiB: 256 * GiB }],
    zone: 'rack-b',
    labels: {},
    overcommit: { cpu: 4, memory: 1 },
    dom0: { memoryMiB: 8 * GiB, vcpus: 4, pin: true, balloon: false },
    iommu: true,
    ...overrides,
  };
}

export function disk(overrides: Partial<Disk> = {}): Disk {
  return { sizeMiB: 20 * GiB, pool: 'images', data: false, ...overrides };
}

export function nic(overrides: Partial<VmNic> = {}): VmNic {
  return { network: 'prod', ...overrides };
}

export function vm(name: string, overrides: Partial<Vm> = {}): Vm {
  return { ...minimalVm(name), disks: [disk()], networks: [nic()], ...overrides };
}

export function migrationPool(name: string, hosts: readonly string[], overrides: Partial<MigrationPool> = {}): MigrationPool {
  return { name, hypervisor: 'kvm', hosts, sharedStorage: 'nfs-images', cpuModel: 'host-model', reserve: 'n+1', ...overrides };
}

export const STORAGE_POOLS: readonly StoragePool[] = [
  { name: 'images', type: 'dir', path: '/var/lib/libvirt/images', shared: false },
  { name: 'nfs-images', type: 'netfs', source: 'nfs1:/export/images', path: '/var/lib/libvirt/nfs', shared: true },
];

export interface FleetParts {
  readonly hosts?: readonly Host[];
  readonly vms?: readonly Vm[];
  readonly migrationPools?: readonly MigrationPool[];
  readonly pools?: readonly StoragePool[];
  readonly defaults?: Partial<Fleet['defaults']>;
  readonly locations?: Fleet['locations'];
  readonly stacks?: Fleet['stacks'];
}

export function fleet(parts: FleetParts = {}): Fleet {
  return {
    apiVersion: 'hyperplan/v1',
    defaults: {
      kvm: { overcommit: { cpu: 4, memory: 1 }, vm: {} },
      xen: { overcommit: { cpu: 4, memory: 1 }, vm: {} },
      placement: { strategy: 'spread' },
      ...parts.defaults,
    },
    hosts: parts.hosts ?? [kvmHost('kvm-a1')],
    migrationPools: parts.migrationPools ?? [],
    networks: [{ name: 'prod', mode: 'bridge', bridge: 'br0' }],
    pools: parts.pools ?? STORAGE_POOLS,
    images: [],
    vms: parts.vms ?? [],
    stacks: parts.stacks ?? [],
    locations: parts.locations ?? {},
  };
}

/** Placement from the VMs' `host` pins (VMs without a pin stay unplaced, without reasons). */
export function pinned(f: Fleet, extra: { pools?: readonly PoolHeadroom[]; unplaced?: Placement['unplaced'] } = {}): Placement {
  const placements: Record<string, string> = {};
  for (const v of f.vms) if (v.host) placements[v.name] = v.host;
  return {
    placements,
    unplaced: extra.unplaced ?? [],
    moves: [],
    hosts: f.hosts.map((h) => {
      const vms = f.vms.filter((v) => placements[v.name] === h.name);
      return {
        name: h.name,
        cpu: { used: vms.reduce((n, v) => n + v.vcpus, 0), capacity: h.cpus * h.overcommit.cpu },
        memoryMiB: { used: vms.reduce((n, v) => n + v.memoryMiB, 0), capacity: h.memoryMiB },
      };
    }),
    pools: extra.pools ?? [],
  };
}

export function context(f: Fleet, placement: Placement = pinned(f), thresholds: Thresholds = DEFAULT_THRESHOLDS): RuleContext {
  return buildContext(f, placement, thresholds);
}

/** Runs one rule on a fleet placed by its pins. */
export function run(rule: Rule, f: Fleet, placement: Placement = pinned(f)): readonly RuleResult[] {
  return rule.check(context(f, placement));
}

export function inlineSecret(value: string): Secret {
  return new Secret(value, 'inline');
}

export function envSecret(value: string, name = 'PASSWORD'): Secret {
  return new Secret(value, `env:${name}`);
}
