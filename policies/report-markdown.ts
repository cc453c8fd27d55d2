/** Markdown report for pull-request comments: a table of findings and one of suppressions with reasons. */
import type { PolicyResult } from './engine';
import type { Finding } from './finding';
import { summaryLine } from './report-text';

const ICON: Record<Finding['severity'], string> = { error: '🛑 error', warning: '⚠️ warning', info: 'ℹ️ info' };

/** Table cells: no raw pipes or newlines. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function where(f: Finding): string {
  return f.location ? `\`${f.location.file}:${f.location.line}\`` : '';
}

export function markdownReport(result: PolicyResult): string {
  const lines = ['## hyperplan policy check', '', `**${summaryLine(result)}**`, ''];
  if (result.findings.length > 0) {
    lines.push('| Severity | Rule | Target | Where | Message |', '|---|---|---|---|---|');
    for (const f of result.findings) {
      lines.push(`| ${ICON[f.severity]} | \`${f.ruleId}\` | \`${cell(f.target)}\` | ${where(f)} | ${cell(f.message)} |`);
    }
    lines.push('');
  }
  if (result.suppressed.length > 0) {
    lines.push('<details><summary>Suppressed findings</summary>', '', '| Rule | Target | Reason |', '|---|---|---|');
    for (const f of result.suppressed) lines.push(`| \`${f.ruleId}\` | \`${cell(f.target)}\` | ${cell(f.reason)} |`);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}
