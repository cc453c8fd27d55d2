/** Shared iteration and formatting for rules; the context they read is built once in `../context.ts`. */
import type { EffectiveDisk, EffectiveNic } from '../../fleet/effective-vm';
import type { Host, Hypervisor, MigrationPool, Vm } from '../../fleet/model';
import { xenServerDom0MemoryMiB } from '../../planner/capacity';
import type { JudgedVm, RuleContext, RuleResult } from '../rule';

export const hostTarget = (name: string): string => `hosts[${name}]`;
export const poolTarget = (name: string): string => `migrationPools[${name}]`;

/** Sensitive and isolated VMs: the classes whose rules favour isolation over density. */
export function isSensitive(vm: Vm): boolean {
  return vm.securityClass !== 'general';
}

/** Whether a judged Xen guest is PV or PVH: no firmware, no emulated devices. */
export function isPvOrPvh(j: JudgedVm): boolean {
  const type = j.effective.guestType;
  return type === 'pv' || type === 'pvh';
}

/** Judged VMs that will run (or are declared to run) on `hypervisor`. */
export function judgedOn(ctx: RuleContext, hypervisor: Hypervisor): readonly JudgedVm[] {
  return ctx.judgedBy[hypervisor];
}

export interface MigratableVm {
  readonly judged: JudgedVm;
  readonly pool: MigrationPool;
}

/** `migratable` per evaluation: several rules ask, and the context is immutable. */
const migratableByContext = new WeakMap<RuleContext, readonly MigratableVm[]>();

/** Judged VMs that belong to a migration pool, with the pool (listed once per evaluation). */
export function migratable(ctx: RuleContext): readonly MigratableVm[] {
  let result = migratableByContext.get(ctx);
  if (result === undefined) {
    const found: MigratableVm[] = [];
    // Indexed: a `for…of` loop not yet optimized makes an iteration result per VM (20,000).
    for (let i = 0; i < ctx.judged.length; i += 1) {
      const judged = ctx.judged[i]!;
      const pool = judged.vm.migrationPool === undefined ? undefined : ctx.migrationPools.get(judged.vm.migrationPool);
      if (pool) found.push({ judged, pool });
    }
    result = found;
    migratableByContext.set(ctx, result);
  }
  return result;
}

/**
 * What `finding` says of each part (`parts`: the disks or NICs) of each item, in order; undefined where a
 * part is fine. A loop rather than `flatMap`: about a dozen rules walk every disk or NIC of 20,000 VMs, and
 * the arrays and closures `flatMap`, `filter` and `map` made per VM were most of their time.
 */
export function findingsPer<T, U>(items: readonly T[], parts: (item: T) => readonly U[], finding: (item: T, part: U) => RuleResult | undefined): RuleResult[] {
  const results: RuleResult[] = [];
  // Indexed loops: `for…of` makes an iterator object per list wherever the loop is not optimized away.
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    const list = parts(item);
    for (let k = 0; k < list.length; k += 1) {
      const result = finding(item, list[k]!);
      if (result !== undefined) results.push(result);
    }
  }
  return results;
}

/**
 * What `finding` says of each item, in order; undefined where the item is fine. A loop rather than `filter`
 * and `map`, or `flatMap` with an empty array for every item that is fine: most rules find nothing in most
 * of 20,000 VMs, and those arrays (and `flatMap` itself) were most of their time.
 */
export function findingsEach<T>(items: readonly T[], finding: (item: T) => RuleResult | undefined): RuleResult[] {
  const results: RuleResult[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const result = finding(items[i]!);
    if (result !== undefined) results.push(result);
  }
  return results;
}

/** The parts of an item a rule does not look at: one shared empty list rather than a new one per item. */
export const NO_PARTS: readonly never[] = Object.freeze([]);

export const disksOf = (j: JudgedVm): readonly EffectiveDisk[] => j.effective.disks;
export const nicsOf = (j: JudgedVm): readonly EffectiveNic[] => j.effective.nics;

export function hostsOf(ctx: RuleContext, hypervisor: Hypervisor): Host[] {
  return ctx.fleet.hosts.filter((h) => h.hypervisor === hypervisor);
}

/** Pool members that exist in the fleet (unknown names are the loader's error). */
export function poolMembers(ctx: RuleContext, pool: MigrationPool): Host[] {
  return pool.hosts.flatMap((name) => {
    const host = ctx.hosts.get(name);
    return host ? [host] : [];
  });
}

/** `8192 MiB (8 GiB)`: exact MiB plus a readable size. */
export function formatMiB(mib: number): string {
  const rounded = Math.round(mib);
  if (rounded >= 1024 && rounded % 1024 === 0) return `${rounded} MiB (${rounded / 1024} GiB)`;
  if (rounded >= 1024) return `${rounded} MiB (${(rounded / 1024).toFixed(1)} GiB)`;
  return `${rounded} MiB`;
}

/** `a, b and 3 more`: keeps messages short on large fleets. */
export function listNames(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * Dom0's floor: 1 GiB. XenServer 8 / XCP-ng give Dom0 "1 GiB plus 5% of the total physical memory"
 * (docs.citrix.com xenserver memory-usage) and the Xen Project Best Practices page calls 1024 MB "a good
 * starting point". (XenServer 7.x's old 400 MB floor predates today's toolstack.)
 */
export const DOM0_MIN_MIB = 1024;
/** XenServer 8 default Dom0: 1 GiB + 5% of host memory, capped at 8 GiB (the planner's formula). */
export function recommendedDom0MiB(host: Host): number {
  return xenServerDom0MemoryMiB(host.memoryMiB);
}

/** Where a migration pool uses host-passthrough: the pool baseline, or VMs that ask for it themselves. */
export function hostPassthroughUses(ctx: RuleContext): { target: string; what: string; pool: MigrationPool }[] {
  const uses: { target: string; what: string; pool: MigrationPool }[] = [];
  for (const pool of ctx.fleet.migrationPools) {
    if (pool.cpuModel === 'host-passthrough') uses.push({ target: poolTarget(pool.name), what: `migration pool ${pool.name}`, pool });
  }
  for (const { judged, pool } of migratable(ctx)) {
    // A VM inheriting the pool's host-passthrough is covered by the pool's own finding.
    if (judged.vm.cpuMode === 'host-passthrough' && pool.cpuModel !== 'host-passthrough') {
      uses.push({ target: judged.target, what: `VM ${judged.vm.name}`, pool });
    }
  }
  return uses;
}

/** Whether a pool's hosts all declare the same CPU model; undeclared models cannot be shown identical. */
export function poolCpuModels(ctx: RuleContext, pool: MigrationPool): { identical: boolean; description: string } {
  const members = poolMembers(ctx, pool);
  const undeclared = members.filter((h) => h.cpuModel === undefined).map((h) => h.name);
  const models = [...new Set(members.flatMap((h) => (h.cpuModel === undefined ? [] : [h.cpuModel])))];
  if (undeclared.length > 0) return { identical: false, description: `include hosts without a declared cpuModel (${listNames(undeclared)})` };
  if (models.length > 1) return { identical: false, description: `have different CPU models (${models.join(', ')})` };
  return { identical: true, description: `are ${models[0] ?? 'one model'}` };
}

/**
 * QEMU's x86 CPU model names by vendor (target/i386/cpu.c, builtin_x86_defs: `.vendor = CPUID_VENDOR_AMD`
 * for EPYC*, Opteron_G*, phenom and athlon; CPUID_VENDOR_INTEL for the Intel generations and their
 * `-Server`/`-Client` variants; CPUID_VENDOR_HYGON for Dhyana). libvirt's CPU map uses the same names,
 * with suffixes such as `-IBRS`, `-noTSX` or `-v2`, so a name is matched by its start. `Xeon` (Intel's
 * brand, as in `Xeon-Gold-6338`) is not a QEMU model but is only ever Intel.
 */
const CPU_MODEL_VENDORS: readonly { readonly vendor: string; readonly pattern: RegExp }[] = [
  { vendor: 'AMD', pattern: /^(EPYC|Opteron_G\d|phenom|athlon)/i },
  { vendor: 'Hygon', pattern: /^Dhyana/i },
  {
    vendor: 'Intel',
    pattern: /^(Conroe|Penryn|Nehalem|Westmere|SandyBridge|IvyBridge|Haswell|Broadwell|Skylake|Cascadelake|Cooperlake|Icelake|SapphireRapids|GraniteRapids|SierraForest|ClearwaterForest|Denverton|Snowridge|KnightsMill|core2duo|coreduo|n270|Xeon)/i,
  },
];

/** `AuthenticAMD`/`amd` → `AMD`, `GenuineIntel`/`intel` → `Intel`: one spelling per vendor. */
function canonicalVendor(vendor: string): string {
  if (/amd/i.test(vendor)) return 'AMD';
  if (/intel/i.test(vendor)) return 'Intel';
  if (/hygon/i.test(vendor)) return 'Hygon';
  return vendor;
}

/** A host's CPU vendor: as declared, else inferred from a known CPU model name; undefined when unknown. */
export function cpuVendorOf(host: Host): string | undefined {
  if (host.cpuVendor !== undefined) return canonicalVendor(host.cpuVendor);
  const model = host.cpuModel;
  if (model === undefined) return undefined;
  return CPU_MODEL_VENDORS.find(({ pattern }) => pattern.test(model))?.vendor;
}

export interface SingleZoneGroup {
  readonly group: string;
  readonly zone: string;
  readonly members: readonly JudgedVm[];
}

/** `singleZoneGroups` per evaluation: PLC-ANTI-AFFINITY-ZONE and PLC-ZONE-LOSS-ANTI-AFFINITY both ask. */
const singleZoneGroupsByContext = new WeakMap<RuleContext, readonly SingleZoneGroup[]>();

/**
 * Anti-affinity groups of two or more placed VMs that all sit in one zone, in the order their first
 * members are judged; none when the fleet has fewer than two zones (then there is nowhere else to spread to).
 * Listed once per evaluation.
 */
export function singleZoneGroups(ctx: RuleContext): readonly SingleZoneGroup[] {
  let result = singleZoneGroupsByContext.get(ctx);
  if (result === undefined) {
    result = findSingleZoneGroups(ctx);
    singleZoneGroupsByContext.set(ctx, result);
  }
  return result;
}

function findSingleZoneGroups(ctx: RuleContext): SingleZoneGroup[] {
  if (ctx.zones.size < 2) return [];
  const groups = new Map<string, JudgedVm[]>();
  for (let i = 0; i < ctx.judged.length; i += 1) {
    const j = ctx.judged[i]!;
    if (j.vm.antiAffinity === undefined || !j.host) continue;
    const list = groups.get(j.vm.antiAffinity);
    if (list) list.push(j);
    else groups.set(j.vm.antiAffinity, [j]);
  }
  const result: SingleZoneGroup[] = [];
  for (const [group, members] of groups) {
    const zones = new Set(members.map((j) => j.host!.zone));
    const [zone] = zones;
    if (members.length >= 2 && zones.size === 1 && zone !== undefined) result.push({ group, zone, members });
  }
  return result;
}
