/**
 * Resource changes from a real plan (`terraform show -json <planfile>`), in the same shape as the synth
 * diff, so VM classification, data-loss checks and rendering are shared. A plan knows things a synth diff
 * can only predict: the actions Terraform really chose (`create`, `update`, `delete`, `["delete","create"]`
 * replace) and which paths forced a replacement (`replace_paths`).
 */
import { attributeEffect, type ChangeEffect } from './replacement-rules';
import { computedOnlyAttributes, diffValues, type AttributeChange, type ResourceChange } from './resource-diff';
import { flaggedPaths, isAtOrBelow, isSecretAttribute, NO_DIGEST, shortDigest } from './secret-values';
import { isObject, resourceKey, type Json, type JsonObject, type ResourceIndex, type TfResource } from './terraform-json';

/** A plan file and the label its resources are keyed under (the stack it was made for). */
export interface PlanDocument {
  readonly stack: string;
  readonly document: JsonObject;
}

export interface PlanReview {
  readonly base: ResourceIndex;
  readonly head: ResourceIndex;
  readonly changes: readonly ResourceChange[];
}

/** Shown for values Terraform computes during apply. */
const UNKNOWN = '(known after apply)';

/** `after` with every leaf flagged in `after_unknown` replaced by a marker, so the diff shows it. */
function withUnknowns(after: Json | undefined, unknown: Json | undefined): Json | undefined {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? after : [];
    return unknown.map((u, i) => withUnknowns(list[i], u) ?? null);
  }
  if (isObject(unknown)) {
    const object: Record<string, Json> = isObject(after) ? { ...after } : {};
    for (const [key, u] of Object.entries(unknown)) {
      const merged = withUnknowns(object[key], u);
      if (merged !== undefined) object[key] = merged;
    }
    return object;
  }
  return after;
}

/** Values without the attributes the provider computes (id, uuid, path …), which differ on every object. */
function settable(type: string, values: Json | undefined): JsonObject {
  if (!isObject(values)) return {};
  const computed = computedOnlyAttributes(type);
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(values)) if (!computed.has(key) && value !== null) out[key] = value;
  return out;
}

/** `libvirt.kvm_a1` or `kvm_a1:libvirt` → `kvm_a1`. */
function aliasOfConfigKey(key: string): string | undefined {
  if (key.includes(':')) return key.slice(0, key.indexOf(':'));
  const dot = key.indexOf('.');
  return dot < 0 ? undefined : key.slice(dot + 1);
}

interface ConfiguredProviders {
  readonly aliasByAddress: Map<string, string>;
  readonly uriByAlias: Map<string, string>;
}

function configuredProviders(document: JsonObject): ConfiguredProviders {
  const aliasByAddress = new Map<string, string>();
  const uriByAlias = new Map<string, string>();
  const configuration = isObject(document.configuration) ? document.configuration : {};
  const providers = isObject(configuration.provider_config) ? configuration.provider_config : {};
  for (const provider of Object.values(providers)) {
    if (!isObject(provider) || typeof provider.alias !== 'string') continue;
    const uri = isObject(provider.expressions) && isObject(provider.expressions.uri) ? provider.expressions.uri.constant_value : undefined;
    if (typeof uri === 'string') uriByAlias.set(provider.alias, uri);
  }
  const root = isObject(configuration.root_module) ? configuration.root_module : {};
  for (const resource of Array.isArray(root.resources) ? root.resources : []) {
    if (!isObject(resource) || typeof resource.address !== 'string' || typeof resource.provider_config_key !== 'string') continue;
    const alias = aliasOfConfigKey(resource.provider_config_key);
    if (alias !== undefined) aliasByAddress.set(resource.address, alias);
  }
  return { aliasByAddress, uriByAlias };
}

/**
 * The alias of a resource that left the configuration (its host may be gone): the longest known alias
 * its logical id starts with, since constructs prefix ids with the host (`kvm_a1_web_1`).
 */
function aliasByPrefix(name: string, aliases: readonly string[]): string | undefined {
  return aliases.find((alias) => name.startsWith(`${alias}_`));
}

interface Draft {
  readonly key: string;
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly stack: string;
  readonly actions: readonly string[];
  readonly before?: JsonObject;
  readonly after?: JsonObject;
  readonly replacePaths: readonly string[];
  /** Paths (with indices) `before_sensitive` or `after_sensitive` flag. */
  readonly sensitive: ReadonlySet<string>;
  alias?: string;
  uri?: string;
}

function replacePathsOf(change: JsonObject): string[] {
  const paths = Array.isArray(change.replace_paths) ? change.replace_paths : [];
  return paths.filter(Array.isArray).map((path) => path.filter((p) => typeof p === 'string').join('.'));
}

/** Volume names a domain's disks point at (`devices.disks[].source.volume.volume`). */
function attachedVolumes(domain: JsonObject | undefined): string[] {
  const devices = domain?.devices;
  const disks = isObject(devices) && Array.isArray(devices.disks) ? devices.disks : [];
  return disks.flatMap((disk) => {
    const volume = isObject(disk) && isObject(disk.source) && isObject(disk.source.volume) ? disk.source.volume.volume : undefined;
    return typeof volume === 'string' ? [volume] : [];
  });
}

function buildIndex(drafts: readonly Draft[], side: 'before' | 'after'): ResourceIndex {
  const present = drafts.filter((d) => d[side] !== undefined);
  const volumeKeys = new Map<string, string>();
  for (const draft of present) {
    const name = draft[side]?.name;
    if (draft.type === 'libvirt_volume' && typeof name === 'string') volumeKeys.set(`${draft.stack}\u0000${draft.alias ?? ''}\u0000${name}`, draft.key);
  }
  const resources = new Map<string, TfResource>();
  const domainsByVm = new Map<string, TfResource>();
  const providerUris = new Map<string, string>();
  for (const draft of present) {
    const config = draft[side] as JsonObject;
    // Plans carry values, not expressions: a domain owns the volumes whose names its disks use.
    const references =
      draft.type === 'libvirt_domain'
        ? attachedVolumes(config)
            .map((v) => volumeKeys.get(`${draft.stack}\u0000${draft.alias ?? ''}\u0000${v}`))
            .filter((k): k is string => k !== undefined)
        : [];
    const resource: TfResource = {
      stack: draft.stack,
      type: draft.type,
      name: draft.name,
      address: draft.address,
      key: draft.key,
      ...(draft.alias !== undefined ? { providerAlias: draft.alias } : {}),
      ...(draft.uri ? { providerUri: draft.uri } : {}),
      config,
      // A plan that would destroy a prevent_destroy resource fails to be made, so none here is protected.
      preventDestroy: false,
      references,
    };
    resources.set(resource.key, resource);
    if (draft.alias !== undefined && draft.uri) providerUris.set(draft.alias, draft.uri);
    if (draft.type === 'libvirt_domain' && typeof config.name === 'string') domainsByVm.set(config.name, resource);
  }
  return { resources, domainsByVm, providerUris };
}

/** Whether a change at `path` (with indices) touches a value the plan flags sensitive or the schema says carries a secret. */
function isHidden(draft: Draft, path: string, schemaPath: string): boolean {
  if (isSecretAttribute(draft.type, schemaPath)) return true;
  for (const flagged of draft.sensitive) if (flagged === '' || isAtOrBelow(path, flagged) || isAtOrBelow(flagged, path)) return true;
  return false;
}

/** A plan holds real values: a hidden one gets a keyed digest, or none without a key (review/secret-values.ts). */
function planDigest(value: Json, digestKey: string | undefined): string {
  return digestKey === undefined ? NO_DIGEST : shortDigest(value, digestKey);
}

function attributesOf(draft: Draft, running: boolean, digestKey: string | undefined): AttributeChange[] {
  const raw: { path: string; schemaPath: string; before?: Json; after?: Json }[] = [];
  diffValues(draft.before, draft.after, '', '', raw);
  const forced = new Set(draft.replacePaths);
  return raw.map((change) => {
    const verdict = attributeEffect(draft.type, change.schemaPath, running);
    const isForced = [...forced].some((p) => change.schemaPath === p || change.schemaPath.startsWith(`${p}.`));
    const effect = isForced ? { effect: 'replace' as ChangeEffect, why: `Terraform plans a replacement for it; ${verdict.why}` } : verdict;
    if (!isHidden(draft, change.path, change.schemaPath)) return { ...change, ...effect };
    const { before, after, ...rest } = change;
    return {
      ...rest,
      ...effect,
      hidden: true,
      ...(before !== undefined ? { before: planDigest(before, digestKey) } : {}),
      ...(after !== undefined ? { after: planDigest(after, digestKey) } : {}),
    };
  });
}

/**
 * Reads one or more plans; resources of each are keyed under its stack label. Values of attributes that
 * can carry secrets are hidden (`digestKey`: key of their digests, none shown without it).
 */
export function planReview(plans: readonly PlanDocument[], digestKey?: string): PlanReview {
  const drafts: Draft[] = [];
  // Terraform 1.7+ plans say `importing` for an import block, action `forget` for `removed` without destroy
  // and `previous_address` for a `moved` block (hashicorp/terraform internal/command/jsonplan/plan.go).
  const stateMoves = { imported: new Map<string, string>(), forgotten: new Set<string>(), moved: new Map<string, string>() };
  for (const { stack, document } of plans) {
    const { aliasByAddress, uriByAlias } = configuredProviders(document);
    const stackDrafts: Draft[] = [];
    for (const item of Array.isArray(document.resource_changes) ? document.resource_changes : []) {
      if (!isObject(item) || item.mode !== 'managed' || !isObject(item.change)) continue;
      const { address, type, name } = item;
      if (typeof address !== 'string' || typeof type !== 'string' || typeof name !== 'string') continue;
      const actions = Array.isArray(item.change.actions) ? item.change.actions.filter((a): a is string => typeof a === 'string') : [];
      if (actions.includes('read')) continue;
      const after = withUnknowns(item.change.after ?? undefined, item.change.after_unknown);
      const key = resourceKey(stack, address);
      const importing = isObject(item.change.importing) && typeof item.change.importing.id === 'string' ? item.change.importing.id : undefined;
      if (importing !== undefined) stateMoves.imported.set(key, importing);
      if (actions.includes('forget')) stateMoves.forgotten.add(key);
      if (typeof item.previous_address === 'string') stateMoves.moved.set(resourceKey(stack, item.previous_address), key);
      stackDrafts.push({
        key: resourceKey(stack, address),
        address,
        type,
        name,
        stack,
        actions,
        // An imported object was in no state before this plan: the base side has no such resource.
        ...(isObject(item.change.before) && importing === undefined && !actions.every((a) => a === 'create') ? { before: settable(type, item.change.before) } : {}),
        ...(isObject(after) && !actions.every((a) => a === 'delete') ? { after: settable(type, after) } : {}),
        replacePaths: replacePathsOf(item.change),
        sensitive: flaggedPaths(item.change.after_sensitive, '', flaggedPaths(item.change.before_sensitive)),
      });
    }
    const known = [...new Set([...aliasByAddress.values(), ...uriByAlias.keys()])].sort((a, b) => b.length - a.length);
    for (const draft of stackDrafts) {
      draft.alias = aliasByAddress.get(draft.address) ?? aliasByPrefix(draft.name, known);
      const uri = draft.alias !== undefined ? uriByAlias.get(draft.alias) : undefined;
      if (uri) draft.uri = uri;
    }
    drafts.push(...stackDrafts);
  }
  const base = buildIndex(drafts, 'before');
  const declared = stateMoves.imported.size + stateMoves.forgotten.size + stateMoves.moved.size > 0;
  const head = { ...buildIndex(drafts, 'after'), ...(declared ? { stateMoves } : {}) };
  const changes: ResourceChange[] = [];
  for (const draft of drafts) {
    // `forget` leaves the object alone: a state move (see stateMoves), never a destroy.
    if (draft.actions.every((a) => a === 'no-op' || a === 'forget')) continue;
    const before = base.resources.get(draft.key);
    const after = head.resources.get(draft.key);
    if (draft.actions.length === 1 && draft.actions[0] === 'create') {
      if (after) changes.push({ key: draft.key, address: draft.address, type: draft.type, action: 'create', attributes: [], after });
      continue;
    }
    if (draft.actions.length === 1 && draft.actions[0] === 'delete') {
      if (before) changes.push({ key: draft.key, address: draft.address, type: draft.type, action: 'delete', attributes: [], before });
      continue;
    }
    const replacing = draft.actions.includes('delete') && draft.actions.includes('create');
    const attributes = attributesOf(draft, after?.config.running === true, digestKey);
    let effect: ChangeEffect = replacing ? 'replace' : 'update';
    for (const a of attributes) if (!replacing && (a.effect === 'restart' || a.effect === 'unsupported') && effect !== 'unsupported') effect = a.effect;
    changes.push({
      key: draft.key,
      address: draft.address,
      type: draft.type,
      action: 'change',
      effect,
      attributes,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    });
  }
  changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { base, head, changes };
}
