/**
 * "Every element hyperplan renders is what the provider defined": the rendered XML must be contained in
 * what libvirt reports back. libvirt adds what it defaults (uuid, MAC addresses, PCI addresses, clock,
 * lifecycle actions …) and may order sibling devices differently, so containment is checked element by
 * element: each rendered element matches a distinct live sibling of the same name whose attributes and
 * text include the rendered ones. Sizes compare in bytes, because libvirt reports memory in KiB and
 * capacities in bytes whatever unit the definition used. Empty elements (no attributes, no text, no
 * children) say nothing and are skipped.
 */
import { readXml, type XmlNode } from '../../../libvirt/xml-read';

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1, bytes: 1, k: 1024, kib: 1024, kb: 1000, m: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2,
  g: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3, t: 1024 ** 4, tib: 1024 ** 4, tb: 1000 ** 4,
};
/** Elements whose text is a size and whose default unit libvirt documents (formatdomain, formatstorage). */
const SIZE_DEFAULT_UNIT: Readonly<Record<string, string>> = {
  memory: 'kib', currentMemory: 'kib', maxMemory: 'kib', capacity: 'bytes', allocation: 'bytes', size: 'kib',
};

function parse(text: string, what: string): XmlNode {
  const read = readXml(text);
  if (!read.ok) throw new Error(`${what}: not well-formed XML (line ${read.error.line}: ${read.error.message})`);
  return read.root;
}

function isEmpty(node: XmlNode): boolean {
  return Object.keys(node.attributes).length === 0 && !node.text && node.children.length === 0;
}

/** The node's text as a comparable value: sizes in bytes, everything else as written. */
function textValue(node: XmlNode): string | undefined {
  if (node.text === undefined) return undefined;
  const unit = SIZE_DEFAULT_UNIT[node.name];
  if (unit === undefined) return node.text;
  const factor = UNIT_BYTES[(node.attributes.unit ?? unit).toLowerCase()];
  return factor === undefined ? node.text : String(Number(node.text) * factor);
}

function mismatch(expected: XmlNode, live: XmlNode): string | undefined {
  for (const [name, value] of Object.entries(expected.attributes)) {
    if (name === 'unit' && SIZE_DEFAULT_UNIT[expected.name] !== undefined) continue;
    if (live.attributes[name] !== value) return `@${name}: rendered '${value}', libvirt has '${live.attributes[name] ?? '(none)'}'`;
  }
  const text = textValue(expected);
  if (text !== undefined && text !== textValue(live)) return `text: rendered '${expected.text}', libvirt has '${live.text ?? '(none)'}'`;
  return undefined;
}

/** Differences of `rendered` against `live`, one line per rendered element libvirt does not hold. */
function differences(expected: XmlNode, live: XmlNode, path: string): string[] {
  const own = mismatch(expected, live);
  if (own !== undefined) return [`${path}: ${own}`];
  const problems: string[] = [];
  const taken = new Set<XmlNode>();
  const counts = new Map<string, number>();
  for (const child of expected.children) {
    const index = counts.get(child.name) ?? 0;
    counts.set(child.name, index + 1);
    if (isEmpty(child)) continue;
    const childPath = `${path}/${child.name}[${index}]`;
    const candidates = live.children.filter((c) => c.name === child.name && !taken.has(c));
    const exact = candidates.find((c) => differences(child, c, childPath).length === 0);
    if (exact !== undefined) {
      taken.add(exact);
      continue;
    }
    // Report against the first candidate of that name so the message shows the closest libvirt element.
    problems.push(...(candidates[0] ? differences(child, candidates[0], childPath) : [`${childPath}: libvirt has no such element`]));
  }
  return problems;
}

/** Every way `renderedXml` is not contained in `liveXml`; empty when libvirt holds all of it. */
export function xmlNotCovered(renderedXml: string, liveXml: string): string[] {
  const rendered = parse(renderedXml, 'rendered');
  const live = parse(liveXml, 'libvirt');
  if (rendered.name !== live.name) return [`root: rendered <${rendered.name}>, libvirt has <${live.name}>`];
  return differences(rendered, live, rendered.name);
}
