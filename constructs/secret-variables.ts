/**
 * The secrets of a stack as sensitive Terraform input variables. A secret (`${env:…}`, `${file:…}`, or
 * plain text in the fleet) never becomes a literal in `cdk.tf.json`: each becomes one `variable` block
 * with `sensitive = true`, referenced where it is used, and its value is supplied when Terraform runs
 * (`TF_VAR_<name>`). Terraform then also hides it in plan output (Terraform docs, "Input Variables",
 * `sensitive`: https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output).
 *
 * A plain-text secret is already in the fleet file; its variable gets it as `default` (SEC-INLINE-SECRET
 * is an error unless suppressed, so that is a decision someone wrote down).
 *
 * The review compares two syntheses without the values, so a variable may carry a fingerprint: an
 * HMAC-SHA256 of the value keyed with HYPERPLAN_FINGERPRINT_KEY. A plain digest would not do: the
 * synthesized JSON is a CI artifact, and an unkeyed hash of a low-entropy password can be brute-forced
 * offline with a dictionary. Without the key (a CI secret the operator sets) no fingerprint is written and
 * the review says that secret values were not compared.
 */
import { createHmac } from 'node:crypto';
import { Fn, Lazy, TerraformStack, TerraformVariable } from './cdk-engine';
import { Construct, type IConstruct } from 'constructs';
import type { Secret } from '../fleet/secret';
import { terraformId } from './terraform-id';

/** Environment variable holding the key of secret fingerprints (see the module comment). */
export const FINGERPRINT_KEY_ENV = 'HYPERPLAN_FINGERPRINT_KEY';
/** Shorter keys are refused: the key is what keeps fingerprints of weak passwords from being brute-forced. */
export const MIN_FINGERPRINT_KEY_LENGTH = 16;
/** Construct id of the registry in each stack. */
export const SECRET_VARIABLES_ID = 'secret-variables';
/** Names Terraform reserves for variable blocks (Terraform docs, "Input Variables": declaring a variable). */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['source', 'version', 'providers', 'count', 'for_each', 'lifecycle', 'depends_on', 'locals']);

/** How the value reaches Terraform. */
export type SecretSupply = 'environment' | 'default';

export interface SecretVariableInfo {
  /** Variable name: supplied as `TF_VAR_<name>`. */
  readonly name: string;
  /** Where the fleet takes the value from (`env:ROOT_PW`, `file:secrets/vnc.txt`, `inline`); safe to show. */
  readonly origin: string;
  /** Fleet paths using it, e.g. `vms[web-1].cloudInit.password`. */
  readonly uses: readonly string[];
  /** `environment`: set TF_VAR_<name> when Terraform runs; `default`: the plain-text value is the variable's default. */
  readonly supply: SecretSupply;
}

export interface SecretVariablesProps {
  /** Key of the fingerprints written next to each variable. @default - no fingerprints */
  readonly fingerprintKey?: string;
}

/** `hmac-sha256:` and the first 128 bits of HMAC-SHA256(key, value), in hex. */
export function secretFingerprint(key: string, value: string): string {
  return `hmac-sha256:${createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 32)}`;
}

/** The variable name a secret gets from where it comes from (inline secrets: from where it is used). */
function baseName(origin: string, use: string): string {
  const [kind, ...rest] = origin.split(':');
  const target = rest.join(':');
  const raw = kind === 'env' ? target : kind === 'file' ? `file_${target.replace(/^\.\//, '')}` : `inline_${use}`;
  const name = terraformId(raw).replace(/_+/g, '_').replace(/(.)_$/, '$1');
  return RESERVED_NAMES.has(name) ? `secret_${name}` : name;
}

interface Entry {
  readonly variable: TerraformVariable;
  readonly info: { name: string; origin: string; uses: string[]; supply: SecretSupply };
}

export class SecretVariables extends Construct {
  /** The registry of the stack `scope` is in (made on first use, without fingerprints, for constructs used alone). */
  static of(scope: IConstruct): SecretVariables {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(SECRET_VARIABLES_ID);
    return existing instanceof SecretVariables ? existing : new SecretVariables(stack, SECRET_VARIABLES_ID);
  }

  readonly #fingerprintKey: string | undefined;
  readonly #entries = new Map<string, Entry>();
  readonly #names = new Set<string>();

  constructor(scope: Construct, id: string, props: SecretVariablesProps = {}) {
    super(scope, id);
    this.#fingerprintKey = props.fingerprintKey;
  }

  /** The secret's value as a Terraform reference (`${var.NAME}`), for an attribute that takes it as is. */
  value(secret: Secret, use: string): string {
    return this.entry(secret, use).variable.stringValue;
  }

  /** `${jsonencode(var.NAME)}`: the value as a JSON string literal, which is also a YAML one, for templates. */
  jsonString(secret: Secret, use: string): string {
    return Fn.jsonencode(this.entry(secret, use).variable.stringValue);
  }

  /** Every variable of the stack, in the order first used. */
  get variables(): readonly SecretVariableInfo[] {
    return [...this.#entries.values()].map(({ info }) => ({ ...info, uses: [...info.uses] }));
  }

  private entry(secret: Secret, use: string): Entry {
    const inline = !secret.origin.includes(':');
    const key = inline ? `inline ${use}` : secret.origin;
    const known = this.#entries.get(key);
    if (known) {
      if (!known.info.uses.includes(use)) known.info.uses.push(use);
      return known;
    }
    const base = baseName(secret.origin, use);
    let name = base;
    for (let n = 2; this.#names.has(name); n += 1) name = `${base}_${n}`;
    this.#names.add(name);
    const info = { name, origin: secret.origin, uses: [use], supply: (inline ? 'default' : 'environment') as SecretSupply };
    const variable = new TerraformVariable(this, name, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: Lazy.stringValue({
        produce: () =>
          `Secret ${info.origin === 'inline' ? 'written in the fleet file' : `from ${info.origin}`} for ${info.uses.join(', ')}; ` +
          (inline ? 'its default is the plain-text value (SEC-INLINE-SECRET)' : `set TF_VAR_${name} when Terraform runs`),
      }),
      ...(inline ? { default: secret.reveal() } : {}),
    });
    variable.overrideLogicalId(name);
    // Terraform ignores "//" properties in JSON block bodies (Terraform docs, "JSON Configuration
    // Syntax", comment properties); the review reads the fingerprint from here.
    const fingerprint = this.#fingerprintKey === undefined ? undefined : secretFingerprint(this.#fingerprintKey, secret.reveal());
    variable.addOverride('//', { hyperplan: { origin: secret.origin, ...(fingerprint ? { fingerprint } : {}) } });
    const entry = { variable, info };
    this.#entries.set(key, entry);
    return entry;
  }
}
