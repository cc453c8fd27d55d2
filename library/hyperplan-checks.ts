/**
 * `HyperplanChecks`: the policy rules as a cdk-nag-style aspect. Added to the app (or a fleet, or one of
 * its stacks), it runs the enabled packs once per fleet over the placed fleet and reports each finding on
 * the stack it concerns: errors as validations (they fail `synth`), warnings and infos as annotations
 * (cdktf-cli prints them; they are in `manifest.json`).
 */
import type { IConstruct } from 'constructs';
import { Annotations, type IAspect } from '../constructs/cdk-engine';
import type { PolicyConfig, RuleSetting, Suppression } from '../policies/config';
import { evaluatePolicies } from '../policies/engine';
import type { Finding } from '../policies/finding';
import { PACK_NAMES, type PackName, type Rule } from '../policies/rule';
import type { Thresholds } from '../policies/thresholds';
import { findingsByStack } from '../stacks/fleet-app';
import { FleetStack } from '../stacks/fleet-stack';
import { isFleetScope, type ResolvedFleet } from './resolved-fleet';

export interface HyperplanChecksProps {
  /** Packs to run (`hyperplan rules` lists them). @default - every pack */
  readonly packs?: readonly PackName[];
  /** Per-rule switches and severities, as in `hyperplan.policy.yaml`. @default - each rule's pack and severity */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** Accepted findings, each with a reason (10 characters or more). @default - none */
  readonly suppressions?: readonly Suppression[];
  /** Your own rules (`hyperplan/policies` exports the `Rule` type); they run like built-ins. @default - none */
  readonly customRules?: readonly Rule[];
  /** @default - DEFAULT_THRESHOLDS */
  readonly thresholds?: Partial<Thresholds>;
  /** Today (YYYY-MM-DD), for suppression expiry. @default - nothing expires */
  readonly today?: string;
}

function describe(finding: Finding): string {
  const where = finding.location ? ` (${finding.location.file}:${finding.location.line}:${finding.location.column})` : '';
  return `[${finding.ruleId}] ${finding.target}${where}: ${finding.message}`;
}

export class HyperplanChecks implements IAspect {
  readonly #config: PolicyConfig;
  readonly #findings = new WeakMap<ResolvedFleet, readonly Finding[]>();

  constructor(props: HyperplanChecksProps = {}) {
    const unknown = (props.packs ?? []).filter((p) => !(PACK_NAMES as readonly string[]).includes(p));
    if (unknown.length > 0) throw new Error(`HyperplanChecks: unknown pack(s) ${unknown.join(', ')}; packs are ${PACK_NAMES.join(', ')}`);
    this.#config = {
      ...(props.packs ? { packs: Object.fromEntries(PACK_NAMES.map((p) => [p, props.packs!.includes(p)])) } : {}),
      ...(props.rules ? { rules: props.rules } : {}),
      ...(props.suppressions ? { suppressions: props.suppressions } : {}),
      ...(props.customRules ? { customRules: props.customRules } : {}),
      ...(props.thresholds ? { thresholds: props.thresholds } : {}),
      ...(props.today ? { today: props.today } : {}),
    };
  }

  visit(node: IConstruct): void {
    if (!(node instanceof FleetStack)) return;
    // Stacks a Fleet owns; a stack built directly (`new KvmStack`) carries its findings in its props.
    const fleet = node.node.scope;
    if (!isFleetScope(fleet)) return;
    const resolved = fleet.resolve();
    let all = this.#findings.get(resolved);
    if (!all) {
      all = evaluatePolicies(resolved.model, resolved.placement, this.#config);
      this.#findings.set(resolved, all);
    }
    const mine = findingsByStack(resolved.model, resolved.placement, all).get(node.node.id) ?? [];
    const errors = mine.filter((f) => f.severity === 'error').map(describe);
    if (errors.length > 0) node.node.addValidation({ validate: () => errors });
    for (const finding of mine) {
      if (finding.severity === 'warning') Annotations.of(node).addWarning(describe(finding));
      else if (finding.severity === 'info') Annotations.of(node).addInfo(describe(finding));
    }
  }
}
