/**
 * Values the review never prints. Reviews are posted on pull requests, so an attribute that can carry a
 * secret is shown as "changed (content hidden)" with a short digest of the old and new value:
 * - cloud-init user data, meta data and network config (passwords, tokens, keys are written there);
 * - console passwords (`devices.graphics[].vnc|spice.passwd`);
 * - every attribute the provider schema marks `sensitive` (provider 0.9.7 marks none: its sources have no
 *   `Sensitive: true`; the snapshot is read so a later provider's flags count at once);
 * - in a synthesized stack, every value that refers to a sensitive variable (`${var.…}`);
 * - in a Terraform plan, every path `before_sensitive` / `after_sensitive` flags (`terraform show -json`
 *   prints sensitive values in clear and only flags them).
 *
 * Digests are keyed (HMAC-SHA256) with HYPERPLAN_FINGERPRINT_KEY when it is set. Without a key a digest is
 * shown only for synthesized values, which hold `${var.…}` references and keyed fingerprints, never a
 * secret; a plan holds the real values, and a short unkeyed hash of text whose only unknown part is a weak
 * password lets anyone test guesses offline, so plan values get no digest then.
 */
import { createHash, createHmac } from 'node:crypto';
import type { SchemaAttribute } from '../schema/provider-schema';
import { libvirtSchema } from '../schema/snapshot';
import { FINGERPRINT_KEY_ENV } from '../constructs/secret-variables';
import { isObject, type Json, type ResourceIndex, type SecretVariableState } from './terraform-json';

/** Hex digits of a shown digest: enough to tell values apart, too few to be a useful hash of a secret. */
const DIGEST_HEX = 8;
/** Written instead of a digest when none may be shown. */
export const NO_DIGEST = 'hidden';

/** Attributes that carry secrets or user-written configuration, by resource type (schema paths). */
const SECRET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  libvirt_cloudinit_disk: ['user_data', 'meta_data', 'network_config'],
  libvirt_domain: ['devices.graphics.vnc.passwd', 'devices.graphics.spice.passwd'],
};

/** `${var.NAME}` and `var.NAME` inside expressions such as `${jsonencode(var.NAME)}`. */
const VARIABLE_REFERENCE = /\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g;

let schemaSensitive: Map<string, Set<string>> | undefined;

function sensitiveIn(attributes: Readonly<Record<string, SchemaAttribute>>, prefix: string, into: Set<string>): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (attribute.sensitive) into.add(path);
    if (attribute.nested_type?.attributes) sensitiveIn(attribute.nested_type.attributes, path, into);
  }
}

/** Schema paths the provider schema snapshot marks sensitive, by resource type. */
export function schemaSensitivePaths(type: string): ReadonlySet<string> {
  if (!schemaSensitive) {
    schemaSensitive = new Map();
    for (const [name, schema] of Object.entries(libvirtSchema().resource_schemas)) {
      const paths = new Set<string>();
      sensitiveIn(schema.block.attributes ?? {}, '', paths);
      schemaSensitive.set(name, paths);
    }
  }
  return schemaSensitive.get(type) ?? new Set();
}

/** True when `inner` is `outer` or lies below it (`a.b` below `a`; `a[0].b` below `a[0]` and `a`). */
export function isAtOrBelow(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/** Whether a change at `schemaPath` of a `type` resource touches a secret-bearing attribute (at, above or below it). */
export function isSecretAttribute(type: string, schemaPath: string): boolean {
  const paths = [...(SECRET_ATTRIBUTES[type] ?? []), ...schemaSensitivePaths(type)];
  return paths.some((secret) => isAtOrBelow(schemaPath, secret) || isAtOrBelow(secret, schemaPath));
}

/** Names of the variables a value refers to. */
export function referencedVariables(value: Json | undefined): string[] {
  const names = new Set<string>();
  const walk = (item: Json | undefined): void => {
    if (typeof item === 'string') {
      if (item.includes('var.')) for (const match of item.matchAll(VARIABLE_REFERENCE)) names.add(match[1] as string);
    } else if (Array.isArray(item)) {
      for (const inner of item) walk(inner);
    } else if (isObject(item)) {
      for (const inner of Object.values(item)) walk(inner);
    }
  };
  walk(value);
  return [...names].sort();
}

/** What the review compares of a variable: its fingerprint, else the digest of its default, else nothing known. */
export function comparableState(state: SecretVariableState | undefined): string | undefined {
  return state?.fingerprint ?? state?.defaultDigest;
}

/** A short digest of `value` (keyed when `key` is given). */
export function shortDigest(value: Json | undefined, key: string | undefined): string {
  const text = JSON.stringify(value ?? null);
  const hash = key === undefined ? createHash('sha256').update(text) : createHmac('sha256', key).update(text);
  return hash.digest('hex').slice(0, DIGEST_HEX);
}

/** Paths (with list indices, `devices.graphics[0].vnc.passwd`) a plan's `*_sensitive` structure flags. */
export function flaggedPaths(flags: Json | undefined, prefix: string = '', into: Set<string> = new Set()): Set<string> {
  if (flags === true) {
    into.add(prefix);
  } else if (Array.isArray(flags)) {
    flags.forEach((item, i) => flaggedPaths(item, `${prefix}[${i}]`, into));
  } else if (isObject(flags)) {
    for (const [key, item] of Object.entries(flags)) flaggedPaths(item, prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

/** The text a hidden value reads as: `added (content hidden; digest …)` and so on. */
export function describeHidden(before: string | undefined, after: string | undefined): string {
  const shown = (digest: string): string => (digest === NO_DIGEST ? '' : digest);
  if (before === undefined) return `added (content hidden${after && shown(after) ? `; digest ${after}` : ''})`;
  if (after === undefined) return `removed (content hidden${shown(before) ? `; digest ${before}` : ''})`;
  const digests = shown(before) && shown(after) ? `; digest ${before} → ${after}` : '';
  return `changed (content hidden${digests})`;
}

/** Said when some sensitive variable has neither a fingerprint nor a default: its value changes cannot be seen. */
export function secretComparisonNote(base: ResourceIndex, head: ResourceIndex): string | undefined {
  const unknown = new Set<string>();
  for (const index of [base, head]) {
    for (const [key, state] of index.variables ?? []) if (state.sensitive && comparableState(state) === undefined) unknown.add(key);
  }
  if (unknown.size === 0) return undefined;
  return (
    `Secret values were not compared: ${unknown.size} sensitive variable(s) carry no fingerprint. Set ${FINGERPRINT_KEY_ENV} ` +
    '(a random key of 16+ characters, e.g. a CI secret) when synthesizing both sides to see secret changes here; `terraform plan` shows them in any case.'
  );
}
