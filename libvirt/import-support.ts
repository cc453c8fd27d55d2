/**
 * What every part of the importer shares: the record of what was kept, approximated or dropped (with the
 * element's path), unique fleet names, libvirt sizes, and the fleet's own vocabulary (read from the fleet
 * schema itself, so a value the importer writes is one the loader accepts).
 */
import type { z } from 'zod';
import { NAME_PATTERN, vmSchema } from '../fleet/schema';
import { child, childrenNamed, type XmlNode } from './xml-read';

export type ImportHypervisor = 'kvm' | 'xen';

/** A file or host that could not be imported at all (it is skipped; the others are still written). */
export interface ImportDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly severity: 'warning' | 'error';
  readonly message: string;
}

/** What happened to one element or attribute of the input. */
export type NoteStatus = 'approximated' | 'dropped';

/** One element or attribute the fleet does not carry exactly, for the per-VM summary. */
export interface ImportNote {
  readonly file: string;
  readonly line: number;
  /** The fleet object it belongs to: `vms[web-1]`, `networks[prod]`, `hosts[kvm-a1]`. */
  readonly target: string;
  readonly status: NoteStatus;
  /** The element's path in the input, e.g. `/domain/devices/disk[2]/source@file`. */
  readonly path: string;
  readonly message: string;
}

/** Collects the notes of one input object. */
export class NoteSink {
  readonly notes: ImportNote[] = [];

  constructor(
    readonly file: string,
    public target: string,
  ) {}

  approximated(line: number, path: string, message: string): void {
    this.notes.push({ file: this.file, line, target: this.target, status: 'approximated', path, message });
  }

  dropped(line: number, path: string, message: string): void {
    this.notes.push({ file: this.file, line, target: this.target, status: 'dropped', path, message });
  }
}

/** Tracks which parts of an input document were consumed; the rest is reported as dropped. */
export class Consumption {
  readonly #nodes = new Map<XmlNode, Set<string>>();

  /** Marks `node` (and the listed attributes, `#text` for its text) as consumed. */
  use(node: XmlNode | undefined, ...parts: string[]): void {
    if (!node) return;
    const used = this.#nodes.get(node) ?? new Set<string>();
    for (const part of parts) used.add(part);
    this.#nodes.set(node, used);
  }

  /** Takes over what `other` consumed (a part read on its own, kept once it turned out expressible). */
  merge(other: Consumption): void {
    for (const [node, parts] of other.#nodes) this.use(node, ...parts);
  }

  /** Consumes a node with everything in it. */
  useAll(node: XmlNode | undefined): void {
    if (!node) return;
    this.use(node, ...Object.keys(node.attributes), '#text');
    for (const c of node.children) this.useAll(c);
  }

  /** Elements kept whole (every attribute and text consumed). */
  kept(): number {
    let count = 0;
    for (const [node, used] of this.#nodes) {
      if (Object.keys(node.attributes).every((a) => used.has(a)) && (node.text === undefined || used.has('#text'))) count += 1;
    }
    return count;
  }

  /** Reports every unconsumed subtree, attribute and text below `node` (one note per dropped subtree). */
  reportDropped(node: XmlNode, path: string, sink: NoteSink): void {
    const used = this.#nodes.get(node);
    if (!used) {
      // Its child elements are named so `features (hyperv)` is findable.
      const inside = [...new Set(node.children.map((c) => c.name))];
      sink.dropped(node.line, path, inside.length > 0 ? `not expressible in the fleet model (contains ${inside.join(', ')})` : 'not expressible in the fleet model');
      return;
    }
    for (const attribute of Object.keys(node.attributes)) {
      if (!used.has(attribute)) sink.dropped(node.line, `${path}@${attribute}`, `'${node.attributes[attribute]}' not expressible in the fleet model`);
    }
    if (node.text !== undefined && !used.has('#text')) sink.dropped(node.line, `${path}/text()`, 'not expressible in the fleet model');
    const counts = new Map<string, number>();
    for (const c of node.children) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const c of node.children) {
      const index = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, index);
      this.reportDropped(c, `${path}/${c.name}${(counts.get(c.name) ?? 0) > 1 ? `[${index}]` : ''}`, sink);
    }
  }
}

/** `name` as a fleet name: lower case, invalid characters to `-`, a letter first, at most 63 characters. */
export function sanitizeName(raw: string, prefix: string): string {
  let name = raw.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = `${prefix}-${name}`.replace(/-+$/, '');
  return name.slice(0, 63);
}

export const NAME_RULE_SOURCE = NAME_PATTERN.source;

/** Gives out unique names: the first keeps its name, later ones get `-2`, `-3` … */
export class NameRegistry {
  readonly #used = new Set<string>();

  claim(base: string): string {
    let candidate = base;
    for (let n = 2; this.#used.has(candidate); n += 1) {
      const suffix = `-${n}`;
      candidate = `${base.slice(0, 63 - suffix.length)}${suffix}`;
    }
    this.#used.add(candidate);
    return candidate;
  }
}

/** xml-read's `child`, for an element that may be absent. */
export function first(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node ? child(node, name) : undefined;
}

/** xml-read's `childrenNamed`, for an element that may be absent. */
export function all(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? childrenNamed(node, name) : [];
}

/** KiB per libvirt size unit (formatdomain "Memory Allocation": k/KiB 1024 bytes, KB 1000 bytes …). */
const KIB_PER_UNIT: Readonly<Record<string, number>> = {
  b: 1 / 1024, bytes: 1 / 1024, kb: 1000 / 1024, k: 1, kib: 1, mb: 1e6 / 1024, m: 1024, mib: 1024,
  gb: 1e9 / 1024, g: 1024 ** 2, gib: 1024 ** 2, tb: 1e12 / 1024, t: 1024 ** 3, tib: 1024 ** 3,
};

/** A libvirt size (value and unit, KiB when no unit is given) in KiB; undefined when not a size. */
export function toKiB(value: string | undefined, unit: string | undefined, defaultUnit = 'KiB'): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const factor = KIB_PER_UNIT[(unit ?? defaultUnit).toLowerCase()];
  return factor === undefined ? undefined : Number(value) * factor;
}

/** A size in KiB as fleet text, exact: GiB or MiB when it is whole ones, else KiB (rounded up when a byte count is not whole KiB). */
export function kibText(kib: number): { readonly text: string; readonly exact: boolean } {
  const whole = Math.ceil(kib);
  const text = whole % (1024 * 1024) === 0 ? `${whole / 1024 / 1024}GiB` : whole % 1024 === 0 ? `${whole / 1024}MiB` : `${whole}KiB`;
  return { text, exact: whole === kib };
}

type DiskField = z.infer<typeof diskSchema>;
const diskSchema = vmSchema.shape.disks.unwrap().element;

/** The fleet's disk bus, cache, io and format vocabularies (the schema's own enums). */
export const isDiskBus = (value: string | undefined): value is NonNullable<DiskField['bus']> => diskSchema.shape.bus.safeParse(value).success && value !== undefined;
export const isDiskCache = (value: string | undefined): value is NonNullable<DiskField['cache']> => diskSchema.shape.cache.safeParse(value).success && value !== undefined;
export const isDiskIo = (value: string | undefined): value is NonNullable<DiskField['io']> => diskSchema.shape.io.safeParse(value).success && value !== undefined;
export const isDiskFormat = (value: string | undefined): value is NonNullable<DiskField['format']> => diskSchema.shape.format.safeParse(value).success && value !== undefined;
/** Whether the fleet's loader accepts `disk` as one disk of a VM (the disk schema itself, with its cross-key checks). */
export const isFleetDisk = (disk: unknown): boolean => diskSchema.safeParse(disk).success;
export const isCpuMode = (value: string | undefined): value is NonNullable<z.infer<typeof vmSchema>['cpuMode']> => vmSchema.shape.cpuMode.safeParse(value).success && value !== undefined;

/** A NIC's MAC as the fleet accepts it (the NIC schema's own pattern). */
export function isMac(value: string | undefined): value is string {
  if (value === undefined) return false;
  return vmSchema.shape.networks.unwrap().element.safeParse({ network: 'n', mac: value }).success;
}
