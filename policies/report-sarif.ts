/**
 * SARIF 2.1.0 report for code scanning: rule metadata in `tool.driver.rules`, one result per finding
 * (suppressed findings carry a `suppressions` entry with the reason), locations relative to `baseDir`.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { PolicyResult, SuppressedFinding } from './engine';
import type { RuleInfo } from './engine-rules';
import type { Finding, Severity } from './finding';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** Directory artifact URIs are relative to (the repository root or cwd). */
  readonly baseDir: string;
  readonly toolVersion: string;
  /** Rule metadata (see `catalogue()`); results of rules missing here get no ruleIndex. */
  readonly rules: readonly RuleInfo[];
  /** Artifact for findings without a position (fleets built in code). */
  readonly fallbackFile?: string;
  /** Base of rule help pages; `<base>#<rule-id in lower case>`. @default - the rule's first source */
  readonly helpBaseUri?: string;
}

function uriOf(file: string, baseDir: string): string {
  const path = isAbsolute(file) ? relative(baseDir, file) : file;
  return path.split(sep).map(encodeURIComponent).join('/');
}

function helpUri(rule: RuleInfo, options: SarifOptions): string | undefined {
  return options.helpBaseUri ? `${options.helpBaseUri}#${rule.id.toLowerCase()}` : rule.sources[0];
}

function result(f: Finding, ruleIndex: Map<string, number>, options: SarifOptions, reason?: string): Record<string, unknown> {
  const file = f.location?.file ?? options.fallbackFile;
  const index = ruleIndex.get(f.ruleId);
  return {
    ruleId: f.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: file
      ? [{
          physicalLocation: {
            artifactLocation: { uri: uriOf(file, options.baseDir) },
            region: { startLine: f.location?.line ?? 1, startColumn: f.location?.column ?? 1 },
          },
          logicalLocations: [{ fullyQualifiedName: f.target, kind: 'object' }],
        }]
      : [],
    partialFingerprints: { 'hyperplan/target/v1': `${f.ruleId}:${f.target}` },
    ...(reason === undefined ? {} : { suppressions: [{ kind: 'external', justification: reason }] }),
  };
}

export function sarifReport(policy: PolicyResult, options: SarifOptions): Record<string, unknown> {
  const ruleIndex = new Map(options.rules.map((r, i) => [r.id, i]));
  const rules = options.rules.map((r) => {
    const help = helpUri(r, options);
    return {
      id: r.id,
      shortDescription: { text: r.summary },
      fullDescription: { text: r.rationale },
      ...(help ? { helpUri: help } : {}),
      help: { text: `${r.rationale}\nSources: ${r.sources.join(' ')}` },
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { tags: [r.pack] },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'hyperplan', version: options.toolVersion, rules } },
      results: [
        ...policy.findings.map((f) => result(f, ruleIndex, options)),
        ...policy.suppressed.map((f: SuppressedFinding) => result(f, ruleIndex, options, f.reason)),
      ],
    }],
  };
}

export function sarifReportText(policy: PolicyResult, options: SarifOptions): string {
  return `${JSON.stringify(sarifReport(policy, options), null, 2)}\n`;
}
