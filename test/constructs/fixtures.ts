/** Typed fleets built in code for construct and stack tests (no loader involved). */
import { Testing } from '../../constructs/cdk-engine';
import type { Construct } from 'constructs';
import { effectiveVm, type EffectiveVm } from '../../fleet/effective-vm';
import type { Fleet, Host, Network, StoragePool, Vm } from '../../fleet/model';
import type { KvmHostSpec } from '../../constructs/kvm-host';
import type { XenHostSpec } from '../../constructs/xen-host';
import type { Placement } from '../../planner/types';
import { minimalVm } from '../support/model';

export function kvmHost(name: string, overrides: Partial<KvmHostSpec> = {}): KvmHostSpec {
  return {
    name,
    hypervisor: 'kvm',
    uri: `qemu+ssh://root@${name}/system`,
    cpus: 64,
    memoryMiB: 512 * 1024,
    cpuFlags: [],
    numaNodes: [{ cpus: 64, memoryMiB: 512 * 1024 }],
    labels: {},
    overcommit: { cpu: 4, memory: 1 },
    reserved: { memoryMiB: 8192, cpus: 2 },
    ...overrides,
  };
}

export function xenHost(name: string, overrides: Partial<XenHostSpec> = {}): XenHostSpec {
  return {
    name,
    hypervisor: 'xen',
    uri: `xen+ssh://root@${name}/system`,
    cpus: 32,
    memoryMiB: 256 * 1024,
    cpuFlags: [],
    numaNodes: [{ cpus: 32, memoryMiB: 256 * 1024 }],
    labels: {},
    overcommit: { cpu: 4, memory: 1 },
    dom0: { memoryMiB: 8192, vcpus: 4, pin: true, balloon: false },
    ...overrides,
  };
}

export function vm(name: string, overrides: Partial<Vm> = {}): Vm {
  return {
    ...minimalVm(name),
    disks: [{ sizeMiB: 20 * 1024, pool: 'images', image: '/var/lib/libvirt/images/debian-12.qcow2', data: false }],
    networks: [{ network: 'prod' }],
    ...overrides,
  };
}

export const NETWORKS: readonly Network[] = [
  { name: 'prod', mode: 'bridge', bridge: 'br0' },
  { name: 'lab', mode: 'nat', cidr: '192.168.122.0/24' },
  { name: 'backend', mode: 'isolated', cidr: '10.10.0.0/24' },
];

export const POOLS: readonly StoragePool[] = [
  { name: 'images', type: 'dir', path: '/var/lib/libvirt/images', shared: false },
  { name: 'nfs-images', type: 'netfs', source: 'nfs1:/export/images', path: '/var/lib/libvirt/nfs', shared: true },
];

export function fleet(parts: Partial<Fleet> = {}): Fleet {
  return {
    apiVersion: 'hyperplan/v1',
    defaults: {
      kvm: { overcommit: { cpu: 4, memory: 1 }, vm: {} },
      xen: { overcommit: { cpu: 4, memory: 1 }, vm: {} },
      placement: { strategy: 'spread' },
    },
    hosts: [],
    migrationPools: [],
    networks: NETWORKS,
    pools: POOLS,
    images: [],
    vms: [],
    stacks: [],
    locations: {},
    ...parts,
  };
}

export function placement(placements: Readonly<Record<string, string>>, extra: Partial<Placement> = {}): Placement {
  return { placements, unplaced: [], moves: [], hosts: [], pools: [], ...extra };
}

/** `effectiveVm` of `vm` in `f` for the hypervisor of `host`. */
export function resolved(f: Fleet, v: Vm, host: Host): EffectiveVm {
  return effectiveVm(f, v, host.hypervisor);
}

/** The synthesized JSON of a scope, parsed. */
export function synthJson(build: (scope: Construct) => void): TerraformJson {
  return JSON.parse(Testing.synthScope(build)) as TerraformJson;
}

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { readonly value: unknown }>;
  readonly provider?: { readonly libvirt?: readonly Record<string, unknown>[] };
  readonly terraform?: Record<string, unknown>;
}

/** The resources of one type, by address. */
export function resources(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}
