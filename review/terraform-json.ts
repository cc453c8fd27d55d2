/**
 * Reading synthesized Terraform JSON (`cdktf.out/stacks/<stack>/cdk.tf.json`) into an index of resources
 * the diff can look up in O(1). Pure: takes parsed documents, returns data.
 */

import { createHash } from 'node:crypto';

/** Any JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** Code-point order of strings: the same on every machine and locale, so output sorts the same. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One synthesized stack: its name (the folder under `stacks/`) and its parsed `cdk.tf.json`. */
export interface SynthStack {
  readonly name: string;
  readonly document: JsonObject;
}

export interface TfResource {
  readonly stack: string;
  readonly type: string;
  /** Logical id: the part after the type in the address. */
  readonly name: string;
  /** `libvirt_domain.kvm_a1_web_1`: the address `terraform plan` shows. */
  readonly address: string;
  /** Identity across both sides: stack and address, because each stack has its own state. */
  readonly key: string;
  /** Provider alias (`libvirt.<alias>`), undefined for the default provider. */
  readonly providerAlias?: string;
  /** The provider's connection URI, when the stack declares one for the alias. */
  readonly providerUri?: string;
  /** Arguments as written, without Terraform meta-arguments (`provider`, `lifecycle`, `depends_on`, `//`). */
  readonly config: JsonObject;
  readonly preventDestroy: boolean;
  /** Keys (stack + address) of the resources this one's arguments refer to, deduplicated. */
  readonly references: readonly string[];
}

export interface ResourceIndex {
  readonly resources: ReadonlyMap<string, TfResource>;
  /** Domain resources by libvirt domain name: the VM name. */
  readonly domainsByVm: ReadonlyMap<string, TfResource>;
  /** Provider URIs by alias, across stacks. */
  readonly providerUris: ReadonlyMap<string, string>;
  /** Input variables by key (stack + name): what the review may know of each secret. @default - none */
  readonly variables?: ReadonlyMap<string, SecretVariableState>;
  /** State moves the stacks declare (`synth --moves live`, `reconcile`). @default - none */
  readonly stateMoves?: StateMoveBlocks;
}

/** Terraform's `import`, `removed` (without destroy) and `moved` blocks, by resource key. */
export interface StateMoveBlocks {
  /** Key of an imported resource → the id it is imported by. */
  readonly imported: ReadonlyMap<string, string>;
  /** Keys of resources state forgets without destroying them. */
  readonly forgotten: ReadonlySet<string>;
  /** Key a resource moved from → key it moved to. */
  readonly moved: ReadonlyMap<string, string>;
}

/** Collects a stack's `import`, `removed` (destroy = false) and `moved` blocks into `into`. */
function readStateMoves(stack: string, document: JsonObject, into: { imported: Map<string, string>; forgotten: Set<string>; moved: Map<string, string> }): void {
  const list = (value: Json | undefined): readonly Json[] => (Array.isArray(value) ? value : []);
  for (const block of list(document.import)) {
    if (isObject(block) && typeof block.to === 'string' && typeof block.id === 'string') into.imported.set(resourceKey(stack, block.to), block.id);
  }
  for (const block of list(document.removed)) {
    if (isObject(block) && typeof block.from === 'string' && isObject(block.lifecycle) && block.lifecycle.destroy === false) into.forgotten.add(resourceKey(stack, block.from));
  }
  for (const block of list(document.moved)) {
    if (isObject(block) && typeof block.from === 'string' && typeof block.to === 'string') into.moved.set(resourceKey(stack, block.from), resourceKey(stack, block.to));
  }
}

/** Arguments that steer Terraform rather than describe the object: never part of an attribute diff. */
const META_ARGUMENTS = new Set(['provider', 'lifecycle', 'depends_on', 'count', 'for_each', 'connection', 'provisioner', '//']);
/** `${libvirt_volume.kvm_a1_web_1_disk0.path}` → type and name of the referenced resource. */
const REFERENCE = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.[^}]*)?\}/g;

export function resourceKey(stack: string, address: string): string {
  return `${stack}/${address}`;
}

/** A JSON object (not null, not an array). */
export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects referenced addresses from every string under `value`. */
function collectReferences(value: Json, into: Set<string>): void {
  if (typeof value === 'string') {
    if (!value.includes('${')) return;
    for (const match of value.matchAll(REFERENCE)) {
      if (match[1] !== 'var' && match[1] !== 'local' && match[1] !== 'data') into.add(`${match[1]}.${match[2]}`);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (isObject(value)) {
    for (const item of Object.values(value)) collectReferences(item, into);
  }
}

/** A sensitive variable of a synthesized stack, as far as the review may know it. */
export interface SecretVariableState {
  /** The keyed fingerprint `hyperplan synth` wrote (`"//".hyperplan.fingerprint`), when it had a key. */
  readonly fingerprint?: string;
  /** Digest of a written default (a plain-text secret of the fleet file), never the default itself. */
  readonly defaultDigest?: string;
  readonly sensitive: boolean;
}

/** Reads the `variable` blocks of one synthesized stack. */
export function variableStates(document: JsonObject): Map<string, SecretVariableState> {
  const states = new Map<string, SecretVariableState>();
  const variables = document.variable;
  if (!isObject(variables)) return states;
  for (const [name, body] of Object.entries(variables)) {
    if (!isObject(body)) continue;
    const comment = body['//'];
    const meta = isObject(comment) && isObject(comment.hyperplan) ? comment.hyperplan : {};
    states.set(name, {
      sensitive: body.sensitive === true,
      ...(typeof meta.fingerprint === 'string' ? { fingerprint: meta.fingerprint } : {}),
      ...(body.default !== undefined ? { defaultDigest: createHash('sha256').update(JSON.stringify(body.default)).digest('hex') } : {}),
    });
  }
  return states;
}

function providerAliases(document: JsonObject): Map<string, string> {
  const aliases = new Map<string, string>();
  const providers = document.provider;
  if (!isObject(providers)) return aliases;
  for (const entries of Object.values(providers)) {
    const list = Array.isArray(entries) ? entries : [entries];
    for (const entry of list) {
      if (isObject(entry) && typeof entry.alias === 'string') aliases.set(entry.alias, typeof entry.uri === 'string' ? entry.uri : '');
    }
  }
  return aliases;
}

function aliasOf(provider: Json | undefined): string | undefined {
  if (typeof provider !== 'string') return undefined;
  const dot = provider.indexOf('.');
  return dot < 0 ? undefined : provider.slice(dot + 1);
}

/** Indexes the resources of every stack. Later stacks never overwrite earlier keys: keys include the stack. */
export function indexSynth(stacks: readonly SynthStack[]): ResourceIndex {
  const resources = new Map<string, TfResource>();
  const domainsByVm = new Map<string, TfResource>();
  const providerUris = new Map<string, string>();
  const variables = new Map<string, SecretVariableState>();
  const stateMoves = { imported: new Map<string, string>(), forgotten: new Set<string>(), moved: new Map<string, string>() };
  for (const stack of [...stacks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const [name, state] of variableStates(stack.document)) variables.set(resourceKey(stack.name, name), state);
    readStateMoves(stack.name, stack.document, stateMoves);
    const aliases = providerAliases(stack.document);
    for (const [alias, uri] of aliases) if (uri) providerUris.set(alias, uri);
    const byType = stack.document.resource;
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        if (!isObject(body)) continue;
        const config: Record<string, Json> = {};
        for (const [argument, value] of Object.entries(body)) if (!META_ARGUMENTS.has(argument)) config[argument] = value;
        const referenced = new Set<string>();
        collectReferences(config, referenced);
        const dependsOn = body.depends_on;
        if (Array.isArray(dependsOn)) for (const entry of dependsOn) if (typeof entry === 'string') referenced.add(entry.replace(/^\$\{|\}$/g, ''));
        const address = `${type}.${name}`;
        referenced.delete(address);
        const alias = aliasOf(body.provider);
        const uri = alias === undefined ? undefined : aliases.get(alias);
        const lifecycle = body.lifecycle;
        const resource: TfResource = {
          stack: stack.name,
          type,
          name,
          address,
          key: resourceKey(stack.name, address),
          ...(alias !== undefined ? { providerAlias: alias } : {}),
          ...(uri ? { providerUri: uri } : {}),
          config,
          preventDestroy: isObject(lifecycle) && lifecycle.prevent_destroy === true,
          references: [...referenced].sort().map((ref) => resourceKey(stack.name, ref)),
        };
        resources.set(resource.key, resource);
        if (type === 'libvirt_domain' && typeof config.name === 'string') domainsByVm.set(config.name, resource);
      }
    }
  }
  const declared = stateMoves.imported.size + stateMoves.forgotten.size + stateMoves.moved.size > 0;
  return { resources, domainsByVm, providerUris, variables, ...(declared ? { stateMoves } : {}) };
}
