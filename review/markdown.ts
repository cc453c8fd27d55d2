/**
 * The pull-request comment. Summary line first, data at risk next (never collapsed), then collapsible
 * tables and a diagram. It must fit GitHub's comment limit; when it does not, per-VM rows become counts
 * per host, the diagram goes, and the comment says so, while data loss and policy errors stay.
 */
import type { Finding } from '../policies/finding';
import { hostChanged, poolChanged } from './capacity';
import { renderMermaid } from './mermaid';
import { newErrors } from './review';
import type { DataLoss, HostCapacityChange, PoolHeadroomChange, Review, Usage, VmChangeKind } from './types';

/** Hidden marker the CI workflow finds its own comment by, to update it instead of adding another. */
export const REVIEW_MARKER = '<!-- hyperplan-review -->';
/** GitHub rejects issue comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room kept under the limit for what CI may wrap around the comment. */
const SAFETY_MARGIN = 1_024;
const SUMMARY_ORDER: readonly [VmChangeKind, string][] = [
  ['create', 'created'],
  ['destroy', 'destroyed'],
  ['move', 'moved'],
  ['replace', 'replaced'],
  ['restart', 'restarted'],
  ['update', 'updated in place'],
];

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A table cell: no pipes or newlines, which would break the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export function summaryLine(review: Review): string {
  const counts = new Map<VmChangeKind, number>();
  for (const vm of review.vms) counts.set(vm.change, (counts.get(vm.change) ?? 0) + 1);
  const parts = SUMMARY_ORDER.filter(([kind]) => counts.has(kind)).map(([kind, word]) => `${counts.get(kind)} ${word}`);
  if (parts.length === 0) parts.push('no VM changes');
  const lost = review.dataLoss.filter((d) => !d.blocked).length;
  const blocked = review.dataLoss.length - lost;
  if (lost > 0) parts.push(`⚠ ${plural(lost, 'data volume')} at risk`);
  if (blocked > 0) parts.push(`${plural(blocked, 'data volume change')} blocked`);
  parts.push(plural(newErrors(review), 'policy error'));
  if ((review.budget?.exceeded.length ?? 0) > 0) parts.push('✖ over the disruption budget');
  return `**hyperplan review:** ${parts.join(', ')}`;
}

function dataLossSection(items: readonly DataLoss[], limit: number): string {
  if (items.length === 0) return '';
  const shown = items.slice(0, limit);
  const lines = shown.map((d) =>
    d.blocked
      ? `- **${code(d.volume)} of VM ${code(d.vm)}: blocked, terraform will refuse** (${code(d.address)}): ${d.reason}`
      : `- **${code(d.volume)} of VM ${code(d.vm)}: data loss** (${code(d.address)}): ${d.reason}`,
  );
  if (items.length > shown.length) lines.push(`- … and ${items.length - shown.length} more; run \`hyperplan review --format json\` for the full list`);
  return `### ⚠ Data volumes at risk\n\n${lines.join('\n')}`;
}

function findingRows(findings: readonly Finding[]): string[][] {
  return findings.map((f) => [f.severity, code(f.ruleId), code(f.target), f.message]);
}

function errorsSection(review: Review, limit: number): string {
  const errors = review.findings.new.filter((f) => f.severity === 'error');
  if (errors.length === 0) return '';
  const rows = findingRows(errors.slice(0, limit));
  const more = errors.length > limit ? `\n\n… and ${errors.length - limit} more errors.` : '';
  return `### ✖ New policy errors\n\n${table(['severity', 'rule', 'target', 'message'], rows)}${more}`;
}

/** The disruption budget used: per limit, VMs counted against it; a heading that says ✖ when exceeded. */
function budgetSection(review: Review, limit: number): string {
  const budget = review.budget;
  if (!budget) return '';
  const names = (vms: readonly string[]): string =>
    vms.length === 0 ? '—' : `${vms.slice(0, limit).map(code).join(', ')}${vms.length > limit ? ` … and ${vms.length - limit} more` : ''}`;
  const rows: string[][] = [];
  if (budget.maxRestarts !== undefined) rows.push(['restarts', `${budget.restarts.length} / ${budget.maxRestarts}`, budget.exceeded.includes('restarts') ? '✖ exceeded' : '✔', names(budget.restarts)]);
  if (budget.maxMoves !== undefined) rows.push(['moves', `${budget.moves.length} / ${budget.maxMoves}`, budget.exceeded.includes('moves') ? '✖ exceeded' : '✔', names(budget.moves)]);
  const heading = budget.exceeded.length > 0 ? '### ✖ Disruption budget exceeded' : '### Disruption budget';
  return `${heading}\n\n${table(['limit', 'used / allowed', 'verdict', 'VMs'], rows)}`;
}

function vmTable(review: Review, limit: number): string {
  const rows = review.vms.slice(0, limit).map((vm) => [
    code(vm.vm),
    vm.change === 'move' ? (vm.migration === 'live' ? 'live move (no restart)' : 'offline move') : vm.change,
    vm.change === 'move' ? `${vm.from} → ${vm.to}` : vm.host,
    vm.reasons.join('\n'),
  ]);
  const more = review.vms.length > limit ? `\n\n… and ${review.vms.length - limit} more VMs.` : '';
  return details(`VM changes (${review.vms.length})`, `${table(['VM', 'change', 'host', 'reasons'], rows)}${more}`);
}

/** Per host, how many VMs get each kind of change: the summarized form of the VM table. */
function vmCountsTable(review: Review, limit: number): string {
  const perHost = new Map<string, Map<VmChangeKind, number>>();
  for (const vm of review.vms) {
    const host = vm.change === 'move' ? (vm.to ?? vm.host) : vm.host;
    const counts = perHost.get(host) ?? new Map<VmChangeKind, number>();
    counts.set(vm.change, (counts.get(vm.change) ?? 0) + 1);
    perHost.set(host, counts);
  }
  const total = (counts: Map<VmChangeKind, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);
  const hosts = [...perHost.entries()].sort((a, b) => total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1));
  const rows = hosts.slice(0, limit).map(([host, counts]) => [host, ...SUMMARY_ORDER.map(([kind]) => String(counts.get(kind) ?? 0))]);
  const more = hosts.length > limit ? `\n\n… and ${hosts.length - limit} more hosts.` : '';
  return details(
    `VM changes per host (${review.vms.length} VMs on ${hosts.length} hosts)`,
    `${table(['host (after)', ...SUMMARY_ORDER.map(([, word]) => word)], rows)}${more}`,
  );
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0';
}

function gib(mib: number): string {
  return `${+(mib / 1024).toFixed(1)}`;
}

function usageCell(usage: Usage | null, pick: 'cpu' | 'memoryMiB'): string {
  if (!usage) return '—';
  const u = usage[pick];
  return pick === 'cpu' ? `${u.used}/${u.capacity}` : `${gib(u.used)}/${gib(u.capacity)}`;
}

function delta(host: HostCapacityChange, pick: 'cpu' | 'memoryMiB'): string {
  const before = host.before?.[pick].used ?? 0;
  const after = host.after?.[pick].used ?? 0;
  return pick === 'cpu' ? signed(after - before) : signed(+((after - before) / 1024).toFixed(1));
}

function percent(usage: Usage | null, pick: 'cpu' | 'memoryMiB'): string {
  if (!usage || usage[pick].capacity === 0) return '—';
  return `${Math.round((100 * usage[pick].used) / usage[pick].capacity)}%`;
}

function hostTable(review: Review, limit: number): string {
  const changed = review.hosts.filter(hostChanged);
  if (changed.length === 0) return '';
  const rows = changed.slice(0, limit).map((h) => [
    h.before === null ? `${h.name} (new)` : h.after === null ? `${h.name} (removed)` : h.name,
    usageCell(h.before, 'cpu'),
    usageCell(h.after, 'cpu'),
    delta(h, 'cpu'),
    percent(h.after, 'cpu'),
    usageCell(h.before, 'memoryMiB'),
    usageCell(h.after, 'memoryMiB'),
    delta(h, 'memoryMiB'),
    percent(h.after, 'memoryMiB'),
  ]);
  const more = changed.length > limit ? `\n\n… and ${changed.length - limit} more hosts.` : '';
  return details(
    `Host capacity (${changed.length} of ${review.hosts.length} hosts change)`,
    'Used / usable after the Dom0 or host reservation and overcommit. Memory in GiB.\n\n' +
      table(['host', 'vCPU before', 'vCPU after', 'Δ vCPU', 'vCPU used', 'GiB before', 'GiB after', 'Δ GiB', 'memory used'], rows) +
      more,
  );
}

function headroomCell(pool: PoolHeadroomChange['before']): string {
  if (!pool) return '—';
  const state = pool.satisfied ? '✔' : '✖';
  return `${state} ${pool.reserve}, spare ${pool.spare.cpu} vCPU / ${gib(pool.spare.memoryMiB)} GiB`;
}

function poolTable(review: Review, limit: number): string {
  if (review.pools.length === 0) return '';
  const changed = review.pools.filter(poolChanged);
  const lost = review.pools.filter((p) => p.before?.satisfied !== false && p.after?.satisfied === false).length;
  const rows = changed.slice(0, limit).map((p) => [p.name, headroomCell(p.before), headroomCell(p.after), (p.after?.worstCase ?? []).join(', ') || '—']);
  const body =
    changed.length === 0
      ? `Headroom unchanged in all ${review.pools.length} migration pools.`
      : table(['pool', 'before', 'after', 'worst case (after)'], rows) + (changed.length > limit ? `\n\n… and ${changed.length - limit} more pools.` : '');
  return details(`Migration-pool headroom (${changed.length} changed${lost > 0 ? `, ✖ ${lost} lose their reserve` : ''})`, body);
}

function findingsSection(review: Review, limit: number): string {
  const { new: added, resolved, suppressed } = review.findings;
  if (added.length + resolved.length + suppressed.length === 0) return '';
  const parts: string[] = [];
  const header = ['severity', 'rule', 'target', 'message'];
  const cap = <T>(items: readonly T[]): T[] => items.slice(0, limit);
  const more = (items: readonly unknown[]): string => (items.length > limit ? `\n\n… and ${items.length - limit} more.` : '');
  if (added.length > 0) parts.push(`**New**\n\n${table(header, findingRows(cap(added)))}${more(added)}`);
  if (resolved.length > 0) parts.push(`**Resolved**\n\n${table(header, findingRows(cap(resolved)))}${more(resolved)}`);
  if (suppressed.length > 0) {
    const rows = cap(suppressed).map((f) => [f.severity, code(f.ruleId), code(f.target), `${f.new ? '**new suppression** ' : ''}${f.reason}`]);
    parts.push(`**Suppressed**\n\n${table(['severity', 'rule', 'target', 'reason'], rows)}${more(suppressed)}`);
  }
  return details(`Policy findings (${added.length} new, ${resolved.length} resolved, ${suppressed.length} suppressed)`, parts.join('\n\n'));
}

function resourcesSection(review: Review, limit: number): string {
  if (review.resources.length === 0) return '';
  const rows = review.resources.slice(0, limit).map((r) => [code(r.address), r.stack, r.action === 'change' ? (r.effect ?? 'update') : r.action, r.reasons.join('\n')]);
  const more = review.resources.length > limit ? `\n\n… and ${review.resources.length - limit} more.` : '';
  return details(`Other resources (${review.resources.length}: pools, networks, base images)`, `${table(['address', 'stack', 'change', 'reasons'], rows)}${more}`);
}

interface Layout {
  /** Per-VM rows, or counts per host when summarized. */
  readonly summarized: boolean;
  /** Rows per table. */
  readonly rows: number;
}

function render(review: Review, layout: Layout): string {
  const sections: string[] = [summaryLine(review)];
  if (review.source === 'plan') sections.push('_Resource changes from the Terraform plan; capacity and findings from the fleet files._');
  sections.push(dataLossSection(review.dataLoss, layout.summarized ? layout.rows : Number.POSITIVE_INFINITY));
  sections.push(errorsSection(review, layout.summarized ? layout.rows : Number.POSITIVE_INFINITY));
  sections.push(budgetSection(review, layout.summarized ? layout.rows : Number.POSITIVE_INFINITY));
  if (layout.summarized) {
    sections.push(
      `> This review was summarized to fit GitHub's comment limit (${GITHUB_COMMENT_LIMIT} characters): VM rows are counted per host and the diagram is left out. ` +
        'Run `hyperplan review --format json` for every change.',
    );
  }
  if (review.vms.length > 0) sections.push(layout.summarized ? vmCountsTable(review, layout.rows) : vmTable(review, layout.rows));
  sections.push(hostTable(review, layout.rows), poolTable(review, layout.rows), findingsSection(review, layout.rows), resourcesSection(review, layout.rows));
  if (!layout.summarized) {
    const diagram = renderMermaid(review);
    if (diagram) sections.push(details('Diagram', `\`\`\`mermaid\n${diagram}\n\`\`\``));
  }
  if (review.notes.length > 0) sections.push(review.notes.map((n) => `> ${n}`).join('\n>\n'));
  sections.push(REVIEW_MARKER);
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

/** The comment, at most `limit` characters long. */
export function renderMarkdown(review: Review, limit: number = GITHUB_COMMENT_LIMIT - SAFETY_MARGIN): string {
  const full = render(review, { summarized: false, rows: Number.POSITIVE_INFINITY });
  if (full.length <= limit) return full;
  for (let rows = 200; rows >= 1; rows = Math.floor(rows / 2)) {
    const summarized = render(review, { summarized: true, rows });
    if (summarized.length <= limit) return summarized;
  }
  // Only very long single rows (reasons, messages) can get here: cut, keeping the marker.
  const cut = render(review, { summarized: true, rows: 1 });
  return `${cut.slice(0, limit - REVIEW_MARKER.length - 40)}\n\n… (cut to fit)\n\n${REVIEW_MARKER}\n`;
}
