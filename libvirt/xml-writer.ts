/**
 * A minimal XML element tree and a deterministic serializer: attributes in insertion order, two-space
 * indentation, no XML declaration (libvirt's own dumpxml output has none either).
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Array<[string, string]>;
  readonly children: XmlElement[];
  text?: string;
}

export function element(name: string): XmlElement {
  return { name, attributes: [], children: [] };
}

/** Sets (or replaces) an attribute; `type` goes first because libvirt readers look for it first. */
export function setAttribute(target: XmlElement, name: string, value: string): void {
  const existing = target.attributes.find(([key]) => key === name);
  if (existing) {
    existing[1] = value;
  } else if (name === 'type') {
    target.attributes.unshift([name, value]);
  } else {
    target.attributes.push([name, value]);
  }
}

function escape(value: string, quote: boolean): string {
  const text = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quote ? text.replace(/'/g, '&apos;') : text;
}

function serialize(node: XmlElement, indent: string, out: string[]): void {
  const attributes = node.attributes.map(([key, value]) => ` ${key}='${escape(value, true)}'`).join('');
  if (node.children.length === 0) {
    out.push(node.text === undefined ? `${indent}<${node.name}${attributes}/>` : `${indent}<${node.name}${attributes}>${escape(node.text, false)}</${node.name}>`);
    return;
  }
  out.push(`${indent}<${node.name}${attributes}>${node.text === undefined ? '' : escape(node.text, false)}`);
  for (const child of node.children) serialize(child, `${indent}  `, out);
  out.push(`${indent}</${node.name}>`);
}

export function toXml(root: XmlElement): string {
  const out: string[] = [];
  serialize(root, '', out);
  return `${out.join('\n')}\n`;
}
