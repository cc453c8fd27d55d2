/** The rule catalogue as Markdown (docs/rules.md, `hyperplan rules --format markdown`) and as text. */
import type { RuleInfo } from './engine-rules';
import { cell } from './report-markdown';
import { RULE_CHANGES } from './rule-changes';

function groupByPack(rules: readonly RuleInfo[]): Map<string, RuleInfo[]> {
  const packs = new Map<string, RuleInfo[]>();
  for (const rule of rules) packs.set(rule.pack, [...(packs.get(rule.pack) ?? []), rule]);
  return packs;
}

export function rulesMarkdown(rules: readonly RuleInfo[]): string {
  const lines = [
    '# Policy rules',
    '',
    '<!-- Generated from the rule metadata by `node --import tsx policies/generate-docs.ts`; do not edit. -->',
    '',
    `${rules.length} rules. Change severities, switch packs off, or suppress findings (with a reason) in`,
    '`hyperplan.policy.yaml`; see `hyperplan rules` for the same list on the command line.',
    '',
  ];
  const known = new Set(rules.map((r) => r.id));
  const changes = RULE_CHANGES.filter((c) => known.has(c.id));
  if (changes.length > 0) {
    lines.push('## New and changed rules', '', '| Rule | Change | Why |', '|---|---|---|');
    for (const c of changes) lines.push(`| [\`${c.id}\`](#${c.id.toLowerCase()}) | ${c.change} | ${cell(c.why)} |`);
    lines.push('');
  }
  const packs = groupByPack(rules);
  lines.push('| Pack | Rules |', '|---|---|');
  for (const [pack, list] of packs) lines.push(`| ${pack} | ${list.length} |`);
  lines.push('');
  for (const [pack, list] of packs) {
    lines.push(`## ${pack}`, '', '| Rule | Severity | Summary |', '|---|---|---|');
    for (const r of list) lines.push(`| [\`${r.id}\`](#${r.id.toLowerCase()}) | ${r.severity} | ${cell(r.summary)} |`);
    lines.push('');
    for (const r of list) {
      lines.push(`### ${r.id}`, '', `**${r.severity}** — ${r.summary}`, '', r.rationale, '', 'Sources:', ...r.sources.map((s) => `- <${s}>`), '');
    }
  }
  return lines.join('\n');
}

export function rulesText(rules: readonly RuleInfo[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  return `${rules.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.pack.padEnd(9)}  ${r.summary}`).join('\n')}\n`;
}
