/**
 * Converts tfplugindocs markdown (the provider's published `docs/`) into the JSON of
 * `terraform providers schema -json`. tfplugindocs keeps every attribute's name, type, Required /
 * Optional / Read-Only and nesting, which is all the binding generator needs.
 *
 * Pure: takes file contents, returns the schema. `import-docs.ts` does the I/O.
 */
import type { CtyType, NestingMode, ResourceSchema, SchemaAttribute } from './provider-schema';

type Section = 'required' | 'optional' | 'computed';

interface ParsedAttribute {
  readonly name: string;
  readonly kind: string;
  readonly flags: readonly string[];
  readonly section: Section;
  readonly description: string;
}

const ITEM = /^- `([a-z0-9_]+)` \(([^)]*)\)\s?(.*)$/;
const NESTED_HEADING = /^### Nested Schema for `([a-z0-9_.]+)`/;
const TOP_SECTION = /^### (Required|Optional|Read-Only)\s*$/;
const NESTED_SECTION = /^(Required|Optional|Read-Only):\s*$/;
const SEE_BELOW = /\s*\(see \[below for nested schema\]\([^)]*\)\)/g;

function sectionOf(label: string): Section {
  if (label === 'Required') return 'required';
  if (label === 'Optional') return 'optional';
  return 'computed';
}

function cleanDescription(lines: readonly string[]): string {
  return lines.join('\n').replace(SEE_BELOW, '').trim();
}

/** Attribute lists keyed by owner path ('' = top level), in document order. */
export function parseAttributeLists(markdown: string): Map<string, ParsedAttribute[]> {
  const lists = new Map<string, ParsedAttribute[]>();
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('## Schema'));
  if (start < 0) return lists;
  let owner = '';
  let section: Section | undefined;
  let current: { item: Omit<ParsedAttribute, 'description'>; text: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const list = lists.get(owner) ?? [];
    list.push({ ...current.item, description: cleanDescription(current.text) });
    lists.set(owner, list);
    current = undefined;
  };
  for (const line of lines.slice(start + 1)) {
    const nested = NESTED_HEADING.exec(line);
    const top = TOP_SECTION.exec(line);
    const sub = NESTED_SECTION.exec(line);
    const item = ITEM.exec(line);
    if (nested) {
      flush();
      owner = nested[1]!;
      section = undefined;
      if (!lists.has(owner)) lists.set(owner, []);
    } else if (top || sub) {
      flush();
      section = sectionOf((top ?? sub)![1]!);
    } else if (item && section) {
      flush();
      const [kind, ...flags] = item[2]!.split(',').map((part) => part.trim());
      current = { item: { name: item[1]!, kind: kind!, flags, section }, text: [item[3] ?? ''] };
    } else if (line.startsWith('<a id=') || line.startsWith('#')) {
      flush();
    } else if (current) {
      current.text.push(line);
    }
  }
  flush();
  return lists;
}

const NESTING: Record<string, NestingMode> = {
  Attributes: 'single',
  'Attributes List': 'list',
  'Attributes Set': 'set',
  'Attributes Map': 'map',
};

function scalarType(kind: string): CtyType {
  const scalars: Record<string, CtyType> = { String: 'string', Number: 'number', Boolean: 'bool', Float: 'number', Int: 'number' };
  const direct = scalars[kind];
  if (direct) return direct;
  const collection = /^(List|Set|Map) of (\w+)$/.exec(kind);
  if (collection) {
    const inner = scalars[collection[2]!];
    if (inner) return [collection[1]!.toLowerCase() as 'list' | 'set' | 'map', inner];
  }
  throw new Error(`unsupported attribute type '${kind}'`);
}

function buildAttributes(lists: Map<string, ParsedAttribute[]>, owner: string): Record<string, SchemaAttribute> {
  const attributes: Record<string, SchemaAttribute> = {};
  for (const parsed of lists.get(owner) ?? []) {
    const path = owner ? `${owner}.${parsed.name}` : parsed.name;
    const nesting = NESTING[parsed.kind];
    const attribute: SchemaAttribute = nesting
      ? { nested_type: { attributes: buildAttributes(lists, path), nesting_mode: nesting } }
      : { type: scalarType(parsed.kind) };
    if (parsed.description) {
      attribute.description = parsed.description;
      attribute.description_kind = 'markdown';
    }
    attribute[parsed.section] = true;
    if (parsed.flags.includes('Sensitive')) attribute.sensitive = true;
    attributes[parsed.name] = attribute;
  }
  return attributes;
}

/** Description of the resource: the text between the `# name (Resource)` title and the first `##`. */
function resourceDescription(markdown: string): string | undefined {
  const body = markdown.replace(/^---[\s\S]*?---\n/, '');
  const match = /^# [^\n]*\n+([\s\S]*?)\n##/m.exec(body);
  const text = match?.[1]?.trim();
  return text ? text : undefined;
}

export function docToSchema(markdown: string): ResourceSchema {
  const lists = parseAttributeLists(markdown);
  const description = resourceDescription(markdown);
  return {
    version: 0,
    block: {
      attributes: buildAttributes(lists, ''),
      ...(description ? { description, description_kind: 'markdown' as const } : {}),
    },
  };
}
