/** How commands that synthesize report a stop at the policy gate: one line per error and unplaced VM. */
import type { PolicyGateError } from '../pipeline/synth';

export function gateReport(error: PolicyGateError, unchanged: string): string {
  const lines = [`synthesis stopped, ${unchanged} left unchanged:`];
  for (const f of error.errors) {
    const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}: ` : '';
    lines.push(`  ${where}${f.ruleId} ${f.target}: ${f.message}`);
  }
  const reported = new Set(error.errors.map((f) => f.target));
  for (const u of error.unplaced.filter((u) => !reported.has(`vms[${u.vm}]`))) {
    lines.push(`  unplaced VM ${u.vm}: ${Object.entries(u.reasons).map(([host, why]) => `${host}: ${why}`).join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
