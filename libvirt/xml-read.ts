/**
 * Reading libvirt XML into a small element tree with source lines. fast-xml-parser checks
 * well-formedness (with a located error) and builds the tree; it records no positions, so each
 * element's line is found in the raw text by scanning for its start tag from where the previous
 * element (in document order) started: exact for ordinary files, approximate only when a comment or
 * CDATA section contains something that looks like a start tag.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
  /** Concatenated text content directly inside this element (trimmed), if any. */
  readonly text?: string;
  /** 1-based line of the start tag. */
  readonly line: number;
}

export interface XmlReadError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type XmlReadResult = { readonly ok: true; readonly root: XmlNode } | { readonly ok: false; readonly error: XmlReadError };

type OrderedNode = Record<string, unknown>;

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

class LineFinder {
  #cursor = 0;
  readonly #lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) this.#lineStarts.push(i + 1);
  }

  /** Line of the next `<name` start tag at or after the cursor; moves the cursor past it. */
  next(name: string): number {
    const pattern = new RegExp(`<${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s/>])`, 'g');
    pattern.lastIndex = this.#cursor;
    const match = pattern.exec(this.text);
    const offset = match ? match.index : this.#cursor;
    if (match) this.#cursor = match.index + 1;
    return this.lineOf(offset);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

function convert(entry: OrderedNode, finder: LineFinder): XmlNode | undefined {
  const name = Object.keys(entry).find((key) => key !== ':@' && key !== '#text');
  if (name === undefined || name.startsWith('?') || name.startsWith('!')) return undefined;
  const line = finder.next(name);
  const rawAttributes = (entry[':@'] ?? {}) as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttributes)) attributes[key] = String(value);
  const children: XmlNode[] = [];
  const texts: string[] = [];
  const content = entry[name];
  if (Array.isArray(content)) {
    for (const child of content as OrderedNode[]) {
      if ('#text' in child && Object.keys(child).length === 1) {
        const value = String(child['#text']);
        if (value !== '') texts.push(value);
        continue;
      }
      const node = convert(child, finder);
      if (node) children.push(node);
    }
  }
  return { name, attributes, children, ...(texts.length > 0 ? { text: texts.join('') } : {}), line };
}

/** Parses one XML document; never throws. */
export function readXml(text: string): XmlReadResult {
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    return { ok: false, error: { line: verdict.err.line, column: verdict.err.col, message: verdict.err.msg } };
  }
  let parsed: unknown;
  try {
    parsed = PARSER.parse(text);
  } catch (error) {
    // The validator accepted it; a parser failure here is still the document's fault, located at its start.
    return { ok: false, error: { line: 1, column: 1, message: error instanceof Error ? error.message : String(error) } };
  }
  const finder = new LineFinder(text);
  const roots = (Array.isArray(parsed) ? (parsed as OrderedNode[]) : [])
    .map((entry) => convert(entry, finder))
    .filter((node): node is XmlNode => node !== undefined);
  const [root, ...extra] = roots;
  if (!root) return { ok: false, error: { line: 1, column: 1, message: 'no root element' } };
  if (extra[0]) return { ok: false, error: { line: extra[0].line, column: 1, message: `more than one root element ('${root.name}', '${extra[0].name}')` } };
  return { ok: true, root };
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}
