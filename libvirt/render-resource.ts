/**
 * Renders one synthesized resource body (references already resolved) to libvirt XML by walking the
 * mapping table. Pure: same body, same bytes.
 */
import { MAPPINGS, ROOT_ELEMENT, type Mapping, type ResourceType } from './mapping-table';
import { element, setAttribute, toXml, type XmlElement } from './xml-writer';

/** A resource body as it appears in `cdk.tf.json` (JSON values only). */
export type ResourceBody = Readonly<Record<string, unknown>>;

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Children of every path, in table order: the rendering order. */
const CHILDREN: ReadonlyMap<ResourceType, ReadonlyMap<string, ReadonlyArray<[string, Mapping]>>> = new Map(
  (Object.keys(MAPPINGS) as ResourceType[]).map((type) => {
    const byParent = new Map<string, Array<[string, Mapping]>>();
    for (const [path, mapping] of Object.entries(MAPPINGS[type])) {
      const cut = path.lastIndexOf('.');
      const parent = cut < 0 ? '' : path.slice(0, cut);
      const key = cut < 0 ? path : path.slice(cut + 1);
      const siblings = byParent.get(parent) ?? [];
      siblings.push([key, mapping]);
      byParent.set(parent, siblings);
    }
    return [type, byParent];
  }),
);

function scalarText(value: Scalar, booleans: 'yes-no' | 'on-off' = 'yes-no'): string {
  if (typeof value === 'boolean') return booleans === 'on-off' ? (value ? 'on' : 'off') : (value ? 'yes' : 'no');
  return String(value);
}

function childPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function findOrAddChild(parent: XmlElement, name: string): XmlElement {
  const existing = parent.children.find((c) => c.name === name);
  if (existing) return existing;
  const created = element(name);
  parent.children.push(created);
  return created;
}

/** Renders `body` (at table path `prefix`) onto `target`; `container` is target's parent element. */
/** True when `entries` map some key to `<element>`'s text and `body` leaves that key unset. */
function textFieldMissing(entries: readonly (readonly [string, Mapping])[], body: Record<string, unknown>, elementName: string): boolean {
  const textField = entries.find(([, m]) => m.kind === 'text' && m.element === elementName);
  return textField !== undefined && (body[textField[0]] === undefined || body[textField[0]] === null);
}

function renderInto(type: ResourceType, body: Record<string, unknown>, prefix: string, target: XmlElement, container: XmlElement | undefined): void {
  const entries = CHILDREN.get(type)?.get(prefix) ?? [];
  for (const [key, mapping] of entries) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    const path = childPath(prefix, key);
    switch (mapping.kind) {
      case 'operation':
        break;
      case 'attribute':
        // libvirtxml, which the provider marshals through, omits empty string attributes (`omitempty`).
        if (isScalar(value) && value !== '') setAttribute(target, mapping.name, scalarText(value, mapping.booleans));
        break;
      case 'value':
        if (isScalar(value)) target.text = scalarText(value);
        break;
      case 'sibling-attribute':
        // The provider's generated converters write a flattened element's attributes only together with its
        // text field (internal/generated/domain_os_convert.gen.go at v0.9.7: `loader_secure` without `loader`
        // is dropped), so an attribute whose element has no text set is not rendered either.
        if (isScalar(value) && !textFieldMissing(entries, body, mapping.element)) {
          setAttribute(findOrAddChild(target, mapping.element), mapping.name, scalarText(value));
        }
        break;
      case 'presence':
        if (value === true) target.children.push(element(mapping.element));
        break;
      case 'text': {
        const child = findOrAddChild(target, mapping.element);
        if (isScalar(value)) child.text = scalarText(value);
        else if (isObject(value)) renderInto(type, value, path, child, target);
        break;
      }
      case 'element': {
        if (!isObject(value)) break;
        const child = element(mapping.element);
        for (const [name, fixed] of Object.entries(mapping.attributes ?? {})) setAttribute(child, name, fixed);
        // An object is present even when empty: `apic = {}` is `<apic/>` (unless the mapping says otherwise).
        renderInto(type, value, path, child, target);
        const empty = child.attributes.length === 0 && child.children.length === 0 && child.text === undefined;
        if (!(mapping.omitEmpty && empty)) target.children.push(child);
        break;
      }
      case 'inline':
        if (isObject(value)) renderInto(type, value, path, target, container);
        break;
      case 'list': {
        if (!Array.isArray(value)) break;
        for (const item of value) {
          if (!isObject(item)) continue;
          const child = element(mapping.element);
          renderInto(type, item, `${path}[]`, child, target);
          target.children.push(child);
        }
        break;
      }
      case 'branch': {
        if (value === false) break;
        const marked = mapping.on === 'self' ? target : container;
        if (marked) setAttribute(marked, mapping.attribute, mapping.value);
        if (isObject(value)) renderInto(type, value, path, target, container);
        else if (typeof value === 'string' || typeof value === 'number') target.text = String(value);
        break;
      }
    }
  }
}

/** The XML element tree of one resource. */
export function renderResourceElement(type: ResourceType, body: ResourceBody): XmlElement {
  const root = element(ROOT_ELEMENT[type]);
  renderInto(type, { ...body }, '', root, undefined);
  return root;
}

/** The libvirt XML document of one resource. */
export function renderResource(type: ResourceType, body: ResourceBody): string {
  return toXml(renderResourceElement(type, body));
}

function collectUnmapped(type: ResourceType, value: unknown, prefix: string, out: Set<string>): void {
  if (!isObject(value)) return;
  const table = MAPPINGS[type];
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || child === null) continue;
    const path = childPath(prefix, key);
    const mapping = table[path];
    if (!mapping) {
      out.add(path);
      continue;
    }
    if (mapping.kind === 'operation') continue;
    if (Array.isArray(child)) {
      if (mapping.kind !== 'list') out.add(path);
      else for (const item of child) collectUnmapped(type, item, `${path}[]`, out);
    } else if (isObject(child)) {
      if (mapping.kind === 'attribute' || mapping.kind === 'value' || mapping.kind === 'sibling-attribute' || mapping.kind === 'presence' || mapping.kind === 'list') out.add(path);
      else collectUnmapped(type, child, path, out);
    }
  }
}

/**
 * Attribute paths present in `body` that the mapping table does not render (sorted). An empty list
 * means every emitted attribute reaches the XML.
 */
export function unmappedPaths(resourceType: ResourceType, body: ResourceBody): string[] {
  const out = new Set<string>();
  collectUnmapped(resourceType, body, '', out);
  return [...out].sort();
}
