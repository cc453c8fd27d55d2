/**
 * Resource-by-resource diff of two synthesized outputs, with each changed attribute classified by the
 * replacement rules. One pass over each side plus one over the references: O(resources), Maps only.
 */
import { libvirtSchema } from '../schema/snapshot';
import { attributeEffect, worstEffect, type ChangeEffect } from './replacement-rules';
import { comparableState, isSecretAttribute, NO_DIGEST, referencedVariables, shortDigest } from './secret-values';
import { isObject, resourceKey, type Json, type JsonObject, type ResourceIndex, type TfResource } from './terraform-json';

export interface AttributeChange {
  /** Path with list indices: `devices.disks[1].target.bus`. */
  readonly path: string;
  readonly before?: Json;
  readonly after?: Json;
  readonly effect: ChangeEffect;
  readonly why: string;
  /** Set when the value itself is unchanged but refers to a resource that is being replaced. */
  readonly via?: string;
  /**
   * The attribute can carry a secret (review/secret-values.ts): `before` and `after` are short digests
   * (or `hidden`), never the values.
   */
  readonly hidden?: boolean;
}

/** Options of the diff. */
export interface DiffOptions {
  /** Key of the shown digests (HYPERPLAN_FINGERPRINT_KEY). @default - unkeyed digests of synthesized values */
  readonly digestKey?: string;
}

export type ResourceAction = 'create' | 'delete' | 'change';

export interface ResourceChange {
  readonly key: string;
  readonly address: string;
  readonly type: string;
  readonly action: ResourceAction;
  /** For `change`: the most disruptive effect among the attribute changes. */
  readonly effect?: ChangeEffect;
  readonly attributes: readonly AttributeChange[];
  readonly before?: TfResource;
  readonly after?: TfResource;
}

/** Attributes Terraform only knows after apply on a new object: top-level computed, not settable. */
let computedOnly: Map<string, Set<string>> | undefined;

export function computedOnlyAttributes(type: string): ReadonlySet<string> {
  if (!computedOnly) {
    computedOnly = new Map();
    for (const [name, schema] of Object.entries(libvirtSchema().resource_schemas)) {
      const names = Object.entries(schema.block.attributes ?? {})
        .filter(([, attribute]) => attribute.computed && !attribute.optional && !attribute.required)
        .map(([attributeName]) => attributeName);
      computedOnly.set(name, new Set(names));
    }
  }
  return computedOnly.get(type) ?? new Set();
}

interface RawChange {
  readonly path: string;
  readonly schemaPath: string;
  readonly before?: Json;
  readonly after?: Json;
}

/** Leaf-level differences; a missing key and `null` are the same (Terraform treats both as unset). */
export function diffValues(before: Json | undefined, after: Json | undefined, path: string, schemaPath: string, out: RawChange[]): void {
  if (before === after || ((before === undefined || before === null) && (after === undefined || after === null))) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i += 1) diffValues(before[i], after[i], `${path}[${i}]`, schemaPath, out);
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
      diffValues(before[key], after[key], path ? `${path}.${key}` : key, schemaPath ? `${schemaPath}.${key}` : key, out);
    }
    return;
  }
  out.push({ path, schemaPath, ...(before !== undefined && before !== null ? { before } : {}), ...(after !== undefined && after !== null ? { after } : {}) });
}

function isRunning(resource: TfResource | undefined): boolean {
  return resource?.type === 'libvirt_domain' && resource.config.running === true;
}

/**
 * Classified attribute changes between two versions of one resource, values of secret-bearing attributes
 * hidden without a digest (the caller may hold a plan's real values).
 */
export function classifyAttributes(type: string, before: JsonObject, after: JsonObject, running: boolean): AttributeChange[] {
  const raw: RawChange[] = [];
  diffValues(before, after, '', '', raw);
  return raw.map((change) => {
    const verdict = attributeEffect(type, change.schemaPath, running);
    if (!hides(type, change)) return { ...change, ...verdict };
    const { before: was, after: is, ...rest } = change;
    return { ...rest, ...verdict, hidden: true, ...(was !== undefined ? { before: NO_DIGEST } : {}), ...(is !== undefined ? { after: NO_DIGEST } : {}) };
  });
}

function changeOf(key: string, before: TfResource | undefined, after: TfResource | undefined, attributes: AttributeChange[]): ResourceChange {
  const some = (after ?? before) as TfResource;
  const action: ResourceAction = !before ? 'create' : !after ? 'delete' : 'change';
  let effect: ChangeEffect | undefined;
  for (const attribute of attributes) effect = effect ? worstEffect(effect, attribute.effect) : attribute.effect;
  return {
    key,
    address: some.address,
    type: some.type,
    action,
    ...(action === 'change' && effect ? { effect } : {}),
    attributes,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
  };
}

/** `${type.name.attr}` references inside one string. */
const ATTRIBUTE_REFERENCE = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_]+)[^}]*\}/g;

/** String leaves of a resource's arguments that `matches`, with their paths and schema paths (list indices dropped). */
function stringLeaves(config: JsonObject, matches: (value: string) => boolean): RawChange[] {
  const found: RawChange[] = [];
  const walk = (value: Json, path: string, schemaPath: string): void => {
    if (typeof value === 'string') {
      if (matches(value)) found.push({ path, schemaPath, before: value, after: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, schemaPath));
    } else if (isObject(value)) {
      for (const key of Object.keys(value).sort()) walk(value[key] as Json, path ? `${path}.${key}` : key, schemaPath ? `${schemaPath}.${key}` : key);
    }
  };
  walk(config, '', '');
  return found;
}

/** Paths (and schema paths) in `config` whose strings refer to a computed-only attribute of `target`. */
function pathsReferring(config: JsonObject, target: TfResource): RawChange[] {
  const computed = computedOnlyAttributes(target.type);
  return stringLeaves(
    config,
    (value) =>
      value.includes('${') &&
      [...value.matchAll(ATTRIBUTE_REFERENCE)].some((match) => `${match[1]}.${match[2]}` === target.address && computed.has(match[3] as string)),
  );
}

/** One side of a synthesized diff, to digest its values with the states of the variables they use. */
interface DigestSide {
  readonly index: ResourceIndex;
  readonly stack: string;
}

/** Digest of a synthesized value: its text (`${var.…}` references, no secrets) and the states of the variables it uses. */
function synthDigest(value: Json, side: DigestSide, key: string | undefined): string {
  const states = referencedVariables(value).map((name) => [name, comparableState(side.index.variables?.get(resourceKey(side.stack, name))) ?? null]);
  return shortDigest([value, states], key);
}

function hides(type: string, change: RawChange): boolean {
  return isSecretAttribute(type, change.schemaPath) || referencedVariables(change.before).length > 0 || referencedVariables(change.after).length > 0;
}

/** `change` with its values replaced by digests when the attribute can carry a secret. */
function hidden(type: string, change: AttributeChange & RawChange, base: DigestSide, head: DigestSide, key: string | undefined): AttributeChange {
  if (!hides(type, change)) return change;
  const { before, after, ...rest } = change;
  return {
    ...rest,
    hidden: true,
    ...(before !== undefined ? { before: synthDigest(before, base, key) } : {}),
    ...(after !== undefined ? { after: synthDigest(after, head, key) } : {}),
  };
}

/** String leaves of a resource's arguments that refer to variables, with their paths. */
function variableLeaves(config: JsonObject): RawChange[] {
  return stringLeaves(config, (value) => referencedVariables(value).length > 0);
}

interface SecretDrift {
  readonly change: RawChange;
  /** Variables whose fingerprint (or plain-text default) differs. */
  readonly variables: readonly string[];
  /** False when one side has no fingerprint to compare: the secret may have changed. */
  readonly certain: boolean;
}

/**
 * Attributes whose text is the same on both sides but whose secret changed: a variable they use has a
 * different fingerprint (or plain-text default) in head. Terraform sees a new value there.
 */
function secretDrift(before: TfResource, after: TfResource, known: ReadonlySet<string>, baseIndex: ResourceIndex, headIndex: ResourceIndex): SecretDrift[] {
  return variableLeaves(after.config).flatMap((leaf) => {
    if (known.has(leaf.path)) return [];
    let certain = true;
    const variables = referencedVariables(leaf.after).filter((name) => {
      const was = comparableState(baseIndex.variables?.get(resourceKey(before.stack, name)));
      const is = comparableState(headIndex.variables?.get(resourceKey(after.stack, name)));
      if (was === is || (was === undefined && is === undefined)) return false;
      if (was === undefined || is === undefined) certain = false;
      return true;
    });
    return variables.length > 0 ? [{ change: leaf, variables, certain }] : [];
  });
}

/**
 * Every resource that differs between `base` and `head`. A resource whose arguments refer to a computed
 * attribute (path, id …) of a resource being replaced changes too, even though its JSON is identical:
 * Terraform sees "known after apply" there. Those derived changes are added until nothing new is replaced.
 */
export function diffResources(base: ResourceIndex, head: ResourceIndex, options: DiffOptions = {}): ResourceChange[] {
  const changes = new Map<string, ResourceChange>();
  const replaced: string[] = [];
  const { digestKey } = options;
  // Only stacks with secrets have variables; the walk for secret drift is skipped for the others.
  const withVariables = (base.variables?.size ?? 0) + (head.variables?.size ?? 0) > 0;
  for (const [key, before] of base.resources) {
    const after = head.resources.get(key);
    if (!after) {
      changes.set(key, changeOf(key, before, undefined, []));
      continue;
    }
    const baseSide = { index: base, stack: before.stack };
    const headSide = { index: head, stack: after.stack };
    const running = isRunning(after);
    const raw: RawChange[] = [];
    diffValues(before.config, after.config, '', '', raw);
    const drift = withVariables ? secretDrift(before, after, new Set(raw.map((r) => r.path)), base, head) : [];
    const attributes: AttributeChange[] = [
      ...raw.map((change) => hidden(before.type, { ...change, ...attributeEffect(before.type, change.schemaPath, running) }, baseSide, headSide, digestKey)),
      ...drift.map(({ change, variables, certain }) => {
        const verdict = attributeEffect(before.type, change.schemaPath, running);
        const names = variables.map((n) => `var.${n}`).join(', ');
        const why = `${certain ? 'a secret it uses changed' : 'a secret it uses may have changed (one side has no fingerprint)'} (${names}); ${verdict.why}`;
        return hidden(before.type, { ...change, effect: verdict.effect, why }, baseSide, headSide, digestKey);
      }),
    ];
    if (before.providerAlias !== after.providerAlias) {
      attributes.push({
        path: 'provider',
        before: before.providerAlias ?? 'default',
        after: after.providerAlias ?? 'default',
        effect: 'replace',
        why: 'same address, new provider: Terraform creates the object through the new provider and forgets the old one without destroying it',
      });
    }
    if (attributes.length > 0) {
      const change = changeOf(key, before, after, attributes);
      changes.set(key, change);
      if (change.effect === 'replace') replaced.push(key);
    }
  }
  for (const [key, after] of head.resources) {
    if (!base.resources.has(key)) changes.set(key, changeOf(key, undefined, after, []));
  }

  const referrers = new Map<string, string[]>();
  for (const resource of head.resources.values()) {
    for (const target of resource.references) {
      const list = referrers.get(target);
      if (list) list.push(resource.key);
      else referrers.set(target, [resource.key]);
    }
  }
  for (let i = 0; i < replaced.length; i += 1) {
    const targetKey = replaced[i] as string;
    const target = head.resources.get(targetKey);
    if (!target) continue;
    for (const referrerKey of referrers.get(targetKey) ?? []) {
      const before = base.resources.get(referrerKey);
      const after = head.resources.get(referrerKey);
      if (!before || !after) continue;
      const sides = [{ index: base, stack: before.stack }, { index: head, stack: after.stack }] as const;
      const derived = pathsReferring(after.config, target).map((raw) =>
        hidden(after.type, { ...raw, ...attributeEffect(after.type, raw.schemaPath, isRunning(after)), via: target.address }, sides[0], sides[1], digestKey),
      );
      if (derived.length === 0) continue;
      const previous = changes.get(referrerKey);
      const known = new Set(previous?.attributes.map((a) => a.path));
      const fresh = derived.filter((a) => !known.has(a.path));
      if (fresh.length === 0) continue;
      const change = changeOf(referrerKey, before, after, [...(previous?.attributes ?? []), ...fresh]);
      changes.set(referrerKey, change);
      if (change.effect === 'replace' && previous?.effect !== 'replace') replaced.push(referrerKey);
    }
  }
  return [...changes.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
