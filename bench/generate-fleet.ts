/**
 * Seeded generator of realistic fleets, written as fleet.yaml text so a benchmark measures loading too.
 *
 * The same (hosts, vms, seed) always gives the same bytes: the generator uses a seeded PRNG (mulberry32, planner/random.ts)
 * and never reads the clock or Math.random, so a benchmark run can be repeated and two runs compared.
 *
 * Shape of a generated fleet:
 * - hosts bought in batches of 8–16 identical machines of one size (32c/256GiB, 64c/512GiB, 128c/1TiB)
 *   and one kind (~70% KVM, ~30% Xen), 20 per rack (zone); KVM hosts carry a `reserved` block sized for
 *   their VM count, Xen hosts a `dom0` block; an eighth of the Xen hosts (at least one) are labelled
 *   `securityClass: sensitive` and stay out of pools;
 * - every batch of two or more hosts is a migration pool (same hypervisor, same size) with its own netfs
 *   shared storage, every third big enough one with `reserve: n+1`;
 * - VMs of 1–16 vCPUs and 1–64 GiB with mixed memory-per-vCPU ratios (so CPU and memory both bind),
 *   workload profiles, a few sensitive VMs (Xen), rare isolated ones, anti-affinity groups of 2–5, a
 *   third in a migration pool, and a few pinned to a host;
 * - total demand sized to 60–75% of usable capacity so the planner faces a real packing problem.
 */
import { mulberry32 } from '../planner/random';

export { mulberry32 };

/** Overcommit written into the generated defaults; 2:1 CPU keeps CPU and memory both binding. */
const CPU_OVERCOMMIT = 2;
/** Written in defaults.kvm; hosts override the memory by size (see `kvmReservedGiB`). */
const KVM_RESERVED = { memoryGiB: 8, cpus: 2 };
/**
 * Host memory kept per KVM host size: 4 GiB + 0.5 GiB per VM (the KVM-HOST-RESERVE rule) for the VM
 * count a host of that size carries at worst in these fleets (many small VMs), rounded up.
 */
const KVM_RESERVED_GIB_BY_MEMORY: Readonly<Record<number, number>> = { 256: 24, 512: 40, 1024: 64 };
/** XenServer's Dom0 default caps at 8 GiB; the XEN-DOM0-MEM-LOW rule expects that much on these sizes. */
const DOM0_MEMORY_GIB = 8;
/** Fraction of usable capacity (of the binding resource) the VM demand aims at. */
export const TARGET_FILL = { low: 0.62, high: 0.72 } as const;
const HOSTS_PER_ZONE = 20;
const SENSITIVE_XEN_EVERY = 8;
const BATCH_SIZE = { min: 8, max: 16 } as const;

interface HostShape {
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly numaNodes: number;
}

/** Host sizes and how often each occurs. */
const HOST_SHAPES: readonly { readonly shape: HostShape; readonly weight: number }[] = [
  { shape: { cpus: 32, memoryGiB: 256, numaNodes: 1 }, weight: 4 },
  { shape: { cpus: 64, memoryGiB: 512, numaNodes: 2 }, weight: 4 },
  { shape: { cpus: 128, memoryGiB: 1024, numaNodes: 4 }, weight: 2 },
];

const VCPU_CHOICES: readonly { readonly value: number; readonly weight: number }[] = [
  { value: 1, weight: 2 }, { value: 2, weight: 5 }, { value: 4, weight: 6 }, { value: 8, weight: 3 }, { value: 16, weight: 1 },
];
/** GiB per vCPU: compute-heavy (1–2) to memory-heavy (8) guests. */
const GIB_PER_VCPU: readonly { readonly value: number; readonly weight: number }[] = [
  { value: 1, weight: 1 }, { value: 2, weight: 3 }, { value: 4, weight: 4 }, { value: 8, weight: 2 },
];
const WORKLOADS: readonly { readonly value: string; readonly weight: number }[] = [
  { value: 'general', weight: 10 }, { value: 'io-heavy', weight: 2 }, { value: 'network-heavy', weight: 2 },
  { value: 'latency-critical', weight: 1 }, { value: 'vdi', weight: 1 },
];
/** The seed of the benchmark's fleets; every size generated with it is placeable and free of policy errors. */
export const BENCH_SEED = 20_240_601;
const MAX_VCPUS = 16;
const MAX_MEMORY_GIB = 64;


class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(choices: readonly { readonly value: T; readonly weight: number }[]): T {
    const total = choices.reduce((sum, c) => sum + c.weight, 0);
    let roll = this.next() * total;
    for (const choice of choices) {
      roll -= choice.weight;
      if (roll < 0) return choice.value;
    }
    return choices[choices.length - 1]!.value;
  }
}

export interface GeneratedHost {
  readonly name: string;
  readonly hypervisor: 'kvm' | 'xen';
  readonly shape: HostShape;
  readonly zone: string;
  readonly sensitive: boolean;
}

export interface GeneratedPool {
  readonly name: string;
  readonly hypervisor: 'kvm' | 'xen';
  readonly hosts: readonly string[];
  readonly storage: string;
  readonly reserve: 'none' | 'n+1';
}

export interface GeneratedVm {
  readonly name: string;
  vcpus: number;
  memoryGiB: number;
  readonly hypervisor: 'auto' | 'kvm' | 'xen';
  readonly securityClass: 'general' | 'sensitive' | 'isolated';
  readonly workload: string;
  readonly antiAffinity?: string;
  readonly migrationPool?: string;
  readonly host?: string;
  readonly dataDiskGiB?: number;
  readonly networks: readonly string[];
  readonly sshKey: boolean;
}

export interface GeneratedFleet {
  readonly hosts: readonly GeneratedHost[];
  readonly pools: readonly GeneratedPool[];
  readonly vms: readonly GeneratedVm[];
  /** Demand / usable capacity of CPU and memory, as the generator estimated them. */
  readonly fill: { readonly cpu: number; readonly memory: number };
  readonly text: string;
}

export interface GenerateOptions {
  readonly hosts: number;
  readonly vms: number;
  /** @default 1 */
  readonly seed?: number;
  /** @default pack */
  readonly strategy?: 'pack' | 'spread';
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Usable capacity in the same way `hostCapacity` computes it, for sizing the demand only. */
function usable(host: GeneratedHost): { cpu: number; memoryGiB: number } {
  if (host.hypervisor === 'kvm') {
    return {
      cpu: (host.shape.cpus - KVM_RESERVED.cpus) * CPU_OVERCOMMIT,
      memoryGiB: host.shape.memoryGiB - kvmReservedGiB(host.shape),
    };
  }
  const dom0 = dom0Of(host.shape);
  return { cpu: (host.shape.cpus - dom0.vcpus) * CPU_OVERCOMMIT, memoryGiB: host.shape.memoryGiB - dom0.memoryGiB };
}

function kvmReservedGiB(shape: HostShape): number {
  return KVM_RESERVED_GIB_BY_MEMORY[shape.memoryGiB] ?? KVM_RESERVED.memoryGiB;
}

/** Dom0 blocks written for Xen hosts: a fixed size, pinned, no ballooning (the Xen best practice). */
function dom0Of(shape: HostShape): { memoryGiB: number; vcpus: number } {
  return { memoryGiB: DOM0_MEMORY_GIB, vcpus: Math.max(2, shape.cpus / 16) };
}

/** Sizes of consecutive batches that add up to `count`; a short tail joins the previous batch. */
function batchSizes(random: Random, count: number): number[] {
  const sizes: number[] = [];
  let left = count;
  while (left > 0) {
    const size = Math.min(left, random.int(BATCH_SIZE.min, BATCH_SIZE.max));
    sizes.push(size);
    left -= size;
  }
  if (sizes.length > 1 && sizes[sizes.length - 1]! < BATCH_SIZE.min) sizes[sizes.length - 2]! += sizes.pop()!;
  return sizes;
}

function generateHostsAndPools(random: Random, count: number): { hosts: GeneratedHost[]; pools: GeneratedPool[] } {
  // At least one Xen host in every fleet (a hybrid fleet is the interesting case), ~30% in large ones.
  const xenCount = Math.max(1, Math.round(count * 0.3));
  const sensitiveCount = Math.max(1, Math.round(xenCount / SENSITIVE_XEN_EVERY));
  const plan: { hypervisor: 'kvm' | 'xen'; sensitive: boolean; sizes: number[] }[] = [
    { hypervisor: 'kvm', sensitive: false, sizes: batchSizes(random, count - xenCount) },
    { hypervisor: 'xen', sensitive: false, sizes: batchSizes(random, xenCount - sensitiveCount) },
    { hypervisor: 'xen', sensitive: true, sizes: batchSizes(random, sensitiveCount) },
  ];
  const hosts: GeneratedHost[] = [];
  const pools: GeneratedPool[] = [];
  const numbers = { kvm: 0, xen: 0 };
  for (const { hypervisor, sensitive, sizes } of plan) {
    sizes.forEach((size) => {
      const shape = random.weighted(HOST_SHAPES.map((s) => ({ value: s.shape, weight: s.weight })));
      const batch: string[] = [];
      for (let i = 0; i < size; i++) {
        numbers[hypervisor] += 1;
        const name = `${hypervisor}-${pad(numbers[hypervisor], 4)}`;
        hosts.push({ name, hypervisor, shape, zone: `rack-${pad(Math.floor(hosts.length / HOSTS_PER_ZONE) + 1, 3)}`, sensitive });
        batch.push(name);
      }
      // Sensitive hosts stay out of pools: their tenants must not be migrated onto general hosts.
      if (sensitive || batch.length < 2) return;
      const index = pools.filter((p) => p.hypervisor === hypervisor).length;
      const name = `${hypervisor}-pool-${pad(index + 1, 3)}`;
      // n+1 on every third pool that is big enough for one host's worth of headroom to be affordable.
      const reserve = index % 3 === 0 && batch.length >= BATCH_SIZE.min ? 'n+1' : 'none';
      pools.push({ name, hypervisor, hosts: batch, storage: `nfs-${name}`, reserve });
    });
  }
  return { hosts, pools };
}

function vmSize(random: Random): { vcpus: number; memoryGiB: number } {
  const vcpus = random.weighted(VCPU_CHOICES);
  const memoryGiB = Math.min(MAX_MEMORY_GIB, Math.max(1, vcpus * random.weighted(GIB_PER_VCPU)));
  return { vcpus, memoryGiB };
}

function generateVms(random: Random, count: number, hosts: readonly GeneratedHost[], pools: readonly GeneratedPool[]): GeneratedVm[] {
  const vms: GeneratedVm[] = [];
  const kvmHosts = hosts.filter((h) => h.hypervisor === 'kvm' && !h.sensitive);
  // VMs that name a kind do so in proportion to that kind's general-purpose capacity, so neither kind is
  // overloaded whatever the fleet size.
  const generalCpus = (kind: 'kvm' | 'xen'): number =>
    hosts.filter((h) => h.hypervisor === kind && !h.sensitive).reduce((sum, h) => sum + h.shape.cpus, 0);
  const xenShare = generalCpus('xen') / Math.max(1, generalCpus('xen') + generalCpus('kvm'));
  const poolWeights = pools.map((p) => ({ value: p, weight: p.hosts.length }));
  let group = 0;
  let groupLeft = 0;
  let groupPool: GeneratedPool | undefined;
  for (let i = 0; i < count; i++) {
    const name = `vm-${pad(i + 1, 5)}`;
    const size = vmSize(random);
    const networks = random.chance(0.3) ? ['prod', 'storage'] : [random.chance(0.8) ? 'prod' : 'lab'];
    const common = {
      name,
      ...size,
      workload: random.weighted(WORKLOADS),
      networks,
      sshKey: random.chance(0.5),
      ...(random.chance(0.25) ? { dataDiskGiB: random.pick([50, 100, 200, 500]) } : {}),
    };
    // Runs of 2–5 consecutive VMs form an anti-affinity group (replicas of one service).
    if (groupLeft === 0 && random.chance(0.08)) {
      group += 1;
      groupLeft = random.int(2, 5);
      groupPool = random.chance(0.3) && pools.length > 0 ? random.weighted(poolWeights) : undefined;
    }
    if (groupLeft > 0) {
      groupLeft -= 1;
      vms.push({
        ...common,
        hypervisor: groupPool ? groupPool.hypervisor : 'auto',
        securityClass: 'general',
        antiAffinity: `svc-${pad(group, 4)}`,
        ...(groupPool ? { migrationPool: groupPool.name } : {}),
      });
      continue;
    }
    const roll = random.float();
    if (roll < 0.02) {
      // Sensitive tenants run on Xen hosts labelled for them (the planner's security filter).
      vms.push({ ...common, vcpus: Math.min(common.vcpus, 4), memoryGiB: Math.min(common.memoryGiB, 16), hypervisor: 'xen', securityClass: 'sensitive' });
    } else if (roll < 0.0205) {
      // Isolated VMs take a whole sensitive host each, so they stay rare (about 1 in 2,000).
      vms.push({ ...common, hypervisor: 'auto', securityClass: 'isolated' });
    } else if (roll < 0.026 && kvmHosts.length > 0) {
      // A few VMs pinned to a KVM host (a licence or a device ties them there); kept small so they fit.
      vms.push({ ...common, vcpus: Math.min(common.vcpus, 2), memoryGiB: Math.min(common.memoryGiB, 4), hypervisor: 'kvm', securityClass: 'general', host: random.pick(kvmHosts).name });
    } else if (roll < 0.33 && pools.length > 0) {
      const pool = random.weighted(poolWeights);
      vms.push({ ...common, hypervisor: pool.hypervisor, securityClass: 'general', migrationPool: pool.name });
    } else {
      // Of the rest, two in five name a kind (the guest OS or a licence decides), the others leave it to the planner.
      const hypervisor = random.chance(0.6) ? 'auto' : random.chance(xenShare) ? 'xen' : 'kvm';
      vms.push({ ...common, hypervisor, securityClass: 'general' });
    }
  }
  return vms;
}

function demand(vms: readonly GeneratedVm[]): { cpu: number; memoryGiB: number } {
  let cpu = 0;
  let memoryGiB = 0;
  for (const vm of vms) {
    cpu += vm.vcpus;
    memoryGiB += vm.memoryGiB;
  }
  return { cpu, memoryGiB };
}

/**
 * Nudges VM sizes until both CPU and memory demand lie in the target band: halving or doubling one
 * dimension of one (seeded) VM at a time keeps the sizes on the usual powers of two.
 */
function fitDemand(random: Random, vms: GeneratedVm[], capacity: { cpu: number; memoryGiB: number }): { cpu: number; memory: number } {
  const adjustable = vms.filter((vm) => vm.host === undefined && vm.securityClass === 'general');
  const total = demand(vms);
  const fill = (): { cpu: number; memory: number } => ({ cpu: total.cpu / capacity.cpu, memory: total.memoryGiB / capacity.memoryGiB });
  const inBand = (f: number): boolean => f >= TARGET_FILL.low && f <= TARGET_FILL.high;
  const target = (TARGET_FILL.low + TARGET_FILL.high) / 2;
  for (let step = 0; step < vms.length * 8 && adjustable.length > 0; step++) {
    const now = fill();
    if (inBand(now.cpu) && inBand(now.memory)) break;
    const vm = random.pick(adjustable);
    const before = { vcpus: vm.vcpus, memoryGiB: vm.memoryGiB };
    // Work on the dimension further from the middle of the band.
    if (Math.abs(now.cpu - target) >= Math.abs(now.memory - target)) {
      vm.vcpus = now.cpu > target ? Math.max(1, vm.vcpus / 2) : Math.min(MAX_VCPUS, vm.vcpus * 2);
    } else {
      vm.memoryGiB = now.memory > target ? Math.max(1, Math.floor(vm.memoryGiB / 2)) : Math.min(MAX_MEMORY_GIB, vm.memoryGiB * 2);
    }
    total.cpu += vm.vcpus - before.vcpus;
    total.memoryGiB += vm.memoryGiB - before.memoryGiB;
  }
  return fill();
}

function hostYaml(host: GeneratedHost): string {
  const lines = [
    `  - name: ${host.name}`,
    `    hypervisor: ${host.hypervisor}`,
    `    uri: ${host.hypervisor === 'kvm' ? 'qemu' : 'xen'}+ssh://root@${host.name}/system`,
    `    cpus: ${host.shape.cpus}`,
    `    memory: ${host.shape.memoryGiB >= 1024 ? `${host.shape.memoryGiB / 1024}TiB` : `${host.shape.memoryGiB}GiB`}`,
    `    cpuModel: ${host.shape.cpus >= 128 ? 'EPYC-Genoa' : 'EPYC-Milan'}`,
    `    numaNodes: ${host.shape.numaNodes}`,
    `    zone: ${host.zone}`,
    `    labels: { securityClass: ${host.sensitive ? 'sensitive' : 'general'} }`,
  ];
  if (host.hypervisor === 'kvm') {
    lines.push(`    reserved: { memory: ${kvmReservedGiB(host.shape)}GiB, cpus: ${KVM_RESERVED.cpus} }`, '    ksm: false');
  } else {
    const dom0 = dom0Of(host.shape);
    lines.push(`    dom0: { memory: ${dom0.memoryGiB}GiB, vcpus: ${dom0.vcpus}, pin: true, balloon: false }`);
  }
  return lines.join('\n');
}

function vmYaml(vm: GeneratedVm): string {
  const xen = vm.hypervisor === 'xen';
  const osPool = vm.migrationPool ? `nfs-${vm.migrationPool}` : 'images';
  const disks = [`{ size: 40GiB, pool: ${osPool}, image: /var/lib/libvirt/images/debian-12.qcow2 }`];
  // No bus: the hypervisor's default (virtio on KVM, xen on Xen) fits wherever the planner puts the VM.
  if (vm.dataDiskGiB !== undefined) disks.push(`{ size: ${vm.dataDiskGiB}GiB, pool: ${osPool}, data: true }`);
  const lines = [
    `  - name: ${vm.name}`,
    `    vcpus: ${vm.vcpus}`,
    `    memory: ${vm.memoryGiB}GiB`,
  ];
  if (vm.hypervisor !== 'auto') lines.push(`    hypervisor: ${vm.hypervisor}`);
  if (xen) lines.push('    guestType: pvh');
  lines.push(
    '    disks:',
    ...disks.map((d) => `      - ${d}`),
    `    networks: [${vm.networks.join(', ')}]`,
    `    workload: ${vm.workload}`,
    `    securityClass: ${vm.securityClass}`,
  );
  if (vm.antiAffinity) lines.push(`    antiAffinity: ${vm.antiAffinity}`);
  if (vm.migrationPool) lines.push(`    migrationPool: ${vm.migrationPool}`);
  if (vm.host) lines.push(`    host: ${vm.host}`);
  if (vm.sshKey) lines.push(`    cloudInit: { sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchKey${vm.name.replace('-', '')} ops"] }`);
  return lines.join('\n');
}

/** Renders the generated model as fleet.yaml text (contract keys only, block style for readable diffs). */
export function renderFleet(fleet: Pick<GeneratedFleet, 'hosts' | 'pools' | 'vms'>, strategy: 'pack' | 'spread'): string {
  const parts = [
    'apiVersion: hyperplan/v1',
    'defaults:',
    `  kvm: { overcommit: { cpu: ${CPU_OVERCOMMIT}, memory: 1.0 }, reserved: { memory: ${KVM_RESERVED.memoryGiB}GiB, cpus: ${KVM_RESERVED.cpus} } }`,
    `  xen: { overcommit: { cpu: ${CPU_OVERCOMMIT}, memory: 1.0 } }`,
    `  placement: { strategy: ${strategy} }`,
    'hosts:',
    ...fleet.hosts.map(hostYaml),
  ];
  if (fleet.pools.length > 0) {
    parts.push('migrationPools:');
    for (const pool of fleet.pools) {
      parts.push(
        `  - name: ${pool.name}`,
        `    hypervisor: ${pool.hypervisor}`,
        `    hosts: [${pool.hosts.join(', ')}]`,
        `    sharedStorage: ${pool.storage}`,
        '    cpuModel: host-model',
        `    reserve: ${pool.reserve}`,
      );
    }
  }
  parts.push(
    'networks:',
    '  - { name: prod, mode: bridge, bridge: br0 }',
    '  - { name: storage, mode: bridge, bridge: br1 }',
    '  - { name: lab, mode: nat, cidr: 192.168.122.0/24 }',
    'pools:',
    '  - { name: images, type: dir, path: /var/lib/libvirt/images }',
    ...fleet.pools.map((p, i) => `  - { name: ${p.storage}, type: netfs, source: "nfs${(i % 4) + 1}:/export/${p.name}", path: /var/lib/libvirt/${p.storage} }`),
    'vms:',
    ...fleet.vms.map(vmYaml),
  );
  return `${parts.join('\n')}\n`;
}

/** A deterministic fleet of `hosts` hosts and `vms` VMs. */
export function generateFleet(options: GenerateOptions): GeneratedFleet {
  const random = new Random(options.seed ?? 1);
  const { hosts, pools } = generateHostsAndPools(random, options.hosts);
  const vms = generateVms(random, options.vms, hosts, pools);
  const capacity = hosts.reduce(
    (sum, h) => {
      const u = usable(h);
      return { cpu: sum.cpu + u.cpu, memoryGiB: sum.memoryGiB + u.memoryGiB };
    },
    { cpu: 0, memoryGiB: 0 },
  );
  const fill = fitDemand(random, vms, capacity);
  return { hosts, pools, vms, fill, text: renderFleet({ hosts, pools, vms }, options.strategy ?? 'pack') };
}
