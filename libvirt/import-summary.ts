/**
 * The end-of-import report: one row per imported object (elements kept whole, approximated, dropped), then
 * every approximation and drop with the element's path and where it is, then the skipped inputs. It
 * replaces a stream of warnings: what matters is readable at the end, sorted the same way every time.
 */
import type { ImportResult } from './import';
import { formatDiagnostic } from './import';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}`.trimEnd());
}

/** The summary as text for stderr. */
export function importSummaryText(result: ImportResult): string {
  const lines: string[] = [];
  const vms = result.fleet.vms?.length ?? 0;
  lines.push(
    `imported ${result.fleet.hosts?.length ?? 0} host(s), ${vms} VM(s), ${result.fleet.networks?.length ?? 0} network(s), ${result.fleet.pools?.length ?? 0} pool(s)` +
      (result.failures.length > 0 ? `; ${result.failures.length} input(s) skipped` : ''),
  );
  if (result.summary.length > 0) {
    lines.push(...table([['object', 'kept', 'approximated', 'dropped'], ...result.summary.map((r) => [r.target, String(r.kept), String(r.approximated), String(r.dropped)])]));
  }
  for (const status of ['dropped', 'approximated'] as const) {
    const notes = result.notes.filter((n) => n.status === status);
    if (notes.length === 0) continue;
    lines.push(`${status}:`);
    for (const n of notes) lines.push(`  ${n.target} ${n.path}: ${n.message} (${n.file}:${n.line})`);
  }
  if (result.failures.length > 0) {
    lines.push('skipped:');
    for (const failure of result.failures) lines.push(`  ${formatDiagnostic(failure)}`);
  }
  return `${lines.join('\n')}\n`;
}
