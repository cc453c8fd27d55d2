/** One line per changed attribute of a resource, as the review prints it under a VM. */
import { describeHidden } from './secret-values';
import type { AttributeChange } from './resource-diff';
import type { Json } from './terraform-json';
import { identity, type Resolver } from './side-lookup';

/** Reasons per resource beyond which the rest is counted, so one sweeping change stays readable. */
const MAX_ATTRIBUTE_REASONS = 6;
const BYTES_PER_GIB = 1024 ** 3;

function formatValue(path: string, value: unknown, via: string | undefined): string {
  if (via) return `(known after apply: ${via} is replaced)`;
  if (value === undefined) return '(unset)';
  if (typeof value === 'number' && /capacity$/.test(path) && value >= BYTES_PER_GIB) return `${+(value / BYTES_PER_GIB).toFixed(2)} GiB`;
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? '[…]' : '{…}';
  return String(value);
}

function digestOf(value: Json | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** One line per changed attribute: `memory: 8192 → 16384 (restart: why)`; hidden values as their digests. */
export function describeAttributes(
  label: string,
  attributes: readonly AttributeChange[],
  resolveBefore: Resolver = identity,
  resolveAfter: Resolver = identity,
): string[] {
  const lines = attributes.slice(0, MAX_ATTRIBUTE_REASONS).map((a) => {
    if (a.hidden) {
      const values = a.via
        ? `${formatValue(a.path, undefined, a.via)} (content hidden)`
        : describeHidden(digestOf(a.before), digestOf(a.after));
      return `${label}${a.path}: ${values} (${a.effect}: ${a.why})`;
    }
    const before = resolveBefore(a.before);
    const after = resolveAfter(a.after);
    const values = a.via
      ? formatValue(a.path, undefined, a.via)
      : before === undefined
        ? `added ${formatValue(a.path, after, undefined)}`
        : after === undefined
          ? `removed (was ${formatValue(a.path, before, undefined)})`
          : `${formatValue(a.path, before, undefined)} → ${formatValue(a.path, after, undefined)}`;
    return `${label}${a.path}: ${values} (${a.effect}: ${a.why})`;
  });
  if (attributes.length > MAX_ATTRIBUTE_REASONS)
    lines.push(`${label}… and ${attributes.length - MAX_ATTRIBUTE_REASONS} more attribute changes`);
  return lines;
}
