/**
 * The contract of a policy rule, built-in or custom. A custom rule is a TypeScript module whose default
 * export (or named export `rule`) is a `Rule`; list it under `customRules` in `hyperplan.policy.yaml`.
 *
 * ```ts
 * import type { Rule } from 'hyperplan/policies';
 * const rule: Rule = {
 *   id: 'ACME-NO-IDE', pack: 'custom', severity: 'warning',
 *   summary: 'No IDE disks', rationale: 'IDE is emulated and slow.', sources: ['https://www.qemu.org/…'],
 *   check: (ctx) => ctx.judged.filter((j) => j.effective.disks.some((d) => d.bus === 'ide'))
 *     .map((j) => ({ target: j.target, message: `${j.vm.name} has an IDE disk; use virtio` })),
 * };
 * export default rule;
 * ```
 * `check` must be pure: read the context, return results, change nothing.
 */
import type { Fleet, Host, Hypervisor, MigrationPool, StoragePool, Vm } from '../fleet/model';
import type { EffectiveVm } from '../fleet/effective-vm';
import type { Placement } from '../planner/types';
import type { Severity } from './finding';
import type { Thresholds } from './thresholds';

export const PACK_NAMES = ['xen', 'kvm', 'hybrid', 'migration', 'placement', 'security'] as const;
export type PackName = (typeof PACK_NAMES)[number];
/** Pack of rules loaded from `customRules` that do not name a built-in pack. */
export const CUSTOM_PACK = 'custom';

/** One non-compliant object found by a rule. */
export interface RuleResult {
  /** Fleet path of the object at fault, e.g. `vms[web-1]`, `hosts[xen-s1].dom0`, `vms[web-1].disks[1]`. */
  readonly target: string;
  /** What is wrong, the value found, what is expected, and how to fix it. */
  readonly message: string;
}

/** A VM whose hypervisor is known (placed, or declared explicitly), with the settings that will be synthesized. */
export interface JudgedVm {
  readonly vm: Vm;
  /** `vms[<name>]`. */
  readonly target: string;
  /** The host the planner placed it on; undefined for an unplaced VM with an explicit hypervisor. */
  readonly host?: Host;
  readonly effective: EffectiveVm;
}

/** What every rule sees; built once per evaluation (see `policies/context.ts`). */
export interface RuleContext {
  readonly fleet: Fleet;
  readonly placement: Placement;
  readonly thresholds: Thresholds;
  readonly hosts: ReadonlyMap<string, Host>;
  readonly storagePools: ReadonlyMap<string, StoragePool>;
  readonly migrationPools: ReadonlyMap<string, MigrationPool>;
  /** VMs judged for device rules, in fleet order; unplaced `auto` VMs are absent. */
  readonly judged: readonly JudgedVm[];
  /** `judged` split by the hypervisor each VM will run on. */
  readonly judgedBy: Readonly<Record<Hypervisor, readonly JudgedVm[]>>;
  /** Host name → VMs placed on it (fleet order); hosts without VMs are absent. */
  readonly placedOn: ReadonlyMap<string, readonly JudgedVm[]>;
  /** Hypervisor kinds of the fleet's hosts. */
  readonly hypervisors: ReadonlySet<Hypervisor>;
  /** Zones the fleet's hosts are in. */
  readonly zones: ReadonlySet<string>;
}

export interface Rule {
  /** Upper-case kebab id, unique across built-in and custom rules: `XEN-DOM0-MEM-MIN`. */
  readonly id: string;
  /** A built-in pack name, or `custom`. */
  readonly pack: string;
  /** Default severity; a policy file may change it per rule. */
  readonly severity: Severity;
  /** One line: what the rule requires. */
  readonly summary: string;
  /** Why: the trade-off behind it, and when it does not apply. */
  readonly rationale: string;
  /** URLs backing the rationale. */
  readonly sources: readonly string[];
  check(ctx: RuleContext): readonly RuleResult[];
}
