/**
 * JSON report, the `hyperplan check --format json` contract (DESIGN.md):
 * `{ "findings": [ { ruleId, severity, target, message, location: { file, line, column } | null, sources } ],
 *    "suppressed": [ … same fields …, reason ] }`.
 */
import type { PolicyResult } from './engine';
import type { Finding } from './finding';

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Finding['severity'];
  readonly target: string;
  readonly message: string;
  readonly location: { readonly file: string; readonly line: number; readonly column: number } | null;
  readonly sources: readonly string[];
}

export interface JsonReport {
  readonly findings: readonly JsonFinding[];
  readonly suppressed: readonly (JsonFinding & { readonly reason: string })[];
}

function toJson(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    target: f.target,
    message: f.message,
    location: f.location ? { file: f.location.file, line: f.location.line, column: f.location.column } : null,
    sources: [...f.sources],
  };
}

export function jsonReport(result: PolicyResult): JsonReport {
  return {
    findings: result.findings.map(toJson),
    suppressed: result.suppressed.map((f) => ({ ...toJson(f), reason: f.reason })),
  };
}

export function jsonReportText(result: PolicyResult): string {
  return `${JSON.stringify(jsonReport(result), null, 2)}\n`;
}
