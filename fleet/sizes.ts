/**
 * Sizes in the fleet file are strings with a binary unit ('512MiB', '4GiB', '1TiB'). Bare numbers are
 * rejected because they are ambiguous (MiB? GiB? bytes?), and so are decimal units ('8GB') because
 * operators mean different things by them; the model stores whole MiB (or KiB for hugepages).
 */
const KIB = 1024;
const MIB = KIB * 1024;
const GIB = MIB * 1024;
const TIB = GIB * 1024;

/** Bytes per unit; the one-letter forms mean the binary unit too, as in `qemu-img` and libvirt. */
const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  K: KIB, KiB: KIB,
  M: MIB, MiB: MIB,
  G: GIB, GiB: GIB,
  T: TIB, TiB: TIB,
};

const DECIMAL_UNITS = new Set(['KB', 'MB', 'GB', 'TB', 'kB']);

const SIZE_SYNTAX = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/;

/** The same syntax as a JSON Schema pattern, for editors (the loader gives the precise message). */
export const SIZE_JSON_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*(B|K|KiB|M|MiB|G|GiB|T|TiB)$';

export const SIZE_UNITS_HINT = "B, KiB, MiB, GiB or TiB (K, M, G, T mean the same)";

export type SizeResult = { readonly ok: true; readonly bytes: number } | { readonly ok: false; readonly message: string };

/** Parses a size string to bytes, or explains what is wrong with it. */
export function parseSize(text: string): SizeResult {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) {
    return { ok: false, message: `size '${text}' is negative; sizes must be greater than zero` };
  }
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    return { ok: false, message: `size '${text}' has no unit; write it with one, e.g. '${trimmed}GiB' (units: ${SIZE_UNITS_HINT})` };
  }
  const match = SIZE_SYNTAX.exec(trimmed);
  if (!match) {
    return { ok: false, message: `'${text}' is not a size; write a number and a unit, e.g. '8GiB'` };
  }
  const [, amount = '', unit = ''] = match;
  if (DECIMAL_UNITS.has(unit)) {
    const binary = `${unit.charAt(0).toUpperCase()}iB`;
    return { ok: false, message: `unit '${unit}' in '${text}' is ambiguous; write binary units, e.g. '${amount}${binary}'` };
  }
  const perUnit = UNIT_BYTES[unit];
  if (perUnit === undefined) {
    return { ok: false, message: `unknown unit '${unit}' in '${text}'; use ${SIZE_UNITS_HINT}` };
  }
  const bytes = Number(amount) * perUnit;
  if (bytes <= 0) {
    return { ok: false, message: `size '${text}' is zero; sizes must be greater than zero` };
  }
  return { ok: true, bytes };
}

/** Checks that a size is valid and a whole number of `unit`; returns the problem or undefined. */
export function sizeProblem(text: string, unit: 'MiB' | 'KiB'): string | undefined {
  const parsed = parseSize(text);
  if (!parsed.ok) return parsed.message;
  const perUnit = unit === 'MiB' ? MIB : KIB;
  if (!Number.isInteger(parsed.bytes / perUnit)) {
    return `size '${text}' is not a whole number of ${unit}`;
  }
  return undefined;
}

/** Converts a size already checked by `sizeProblem(text, 'MiB')`. */
export function sizeToMiB(text: string): number {
  return toUnit(text, MIB);
}

/** Converts a size already checked by `sizeProblem(text, 'KiB')`. */
export function sizeToKiB(text: string): number {
  return toUnit(text, KIB);
}

function toUnit(text: string, perUnit: number): number {
  const parsed = parseSize(text);
  if (!parsed.ok) throw new Error(`internal: size '${text}' was not validated: ${parsed.message}`);
  return Math.round(parsed.bytes / perUnit);
}
