/** What a custom rule module must export: a rule's metadata and its check, validated like a built-in's. */
import { CUSTOM_PACK, PACK_NAMES } from './rule';

const RULE_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
const SEVERITIES: ReadonlySet<unknown> = new Set(['error', 'warning', 'info']);
const PACKS: ReadonlySet<unknown> = new Set([...PACK_NAMES, CUSTOM_PACK]);

/** What is wrong with a would-be rule, or nothing. */
export function ruleShapeProblems(value: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const isText = (key: string): boolean => typeof value[key] === 'string' && (value[key] as string).trim() !== '';
  if (!isText('id') || !RULE_ID.test(value.id as string)) {
    problems.push(`id must be an upper-case dashed id such as ACME-NO-IDE, got ${JSON.stringify(value.id)}`);
  }
  if (!PACKS.has(value.pack)) problems.push(`pack must be one of ${[...PACKS].join(', ')}, got ${JSON.stringify(value.pack)}`);
  if (!SEVERITIES.has(value.severity)) problems.push(`severity must be error, warning or info, got ${JSON.stringify(value.severity)}`);
  if (!isText('summary')) problems.push('summary must be a non-empty string');
  if (!isText('rationale')) problems.push('rationale must be a non-empty string');
  if (!Array.isArray(value.sources) || value.sources.some((s) => typeof s !== 'string')) problems.push('sources must be a list of URLs');
  if (typeof value.check !== 'function') problems.push('check must be a function (ctx) => { target, message }[]');
  return problems;
}
