/** Plain-text report: one compiler-style line per finding (`file:line:column: severity RULE target: message`). */
import type { PolicyResult } from './engine';
import type { Finding } from './finding';

function where(finding: Finding): string {
  return finding.location ? `${finding.location.file}:${finding.location.line}:${finding.location.column}: ` : '';
}

export function summaryLine(result: PolicyResult): string {
  const count = (severity: Finding['severity']): number => result.findings.filter((f) => f.severity === severity).length;
  return `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, ${result.suppressed.length} suppressed`;
}

export function textReport(result: PolicyResult): string {
  const lines = result.findings.map((f) => `${where(f)}${f.severity} ${f.ruleId} ${f.target}: ${f.message}`);
  if (result.suppressed.length > 0) {
    lines.push('', 'Suppressed:');
    lines.push(...result.suppressed.map((f) => `  ${f.ruleId} ${f.target}: ${f.reason}`));
  }
  lines.push(lines.length > 0 ? '' : 'No findings.', summaryLine(result));
  return `${lines.join('\n')}\n`;
}
