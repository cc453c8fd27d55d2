import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../policies/catalogue';
import { evaluatePoliciesDetailed } from '../../policies/engine';
import { jsonReport } from '../../policies/report-json';
import { markdownReport } from '../../policies/report-markdown';
import { sarifReport } from '../../policies/report-sarif';
import { textReport } from '../../policies/report-text';
import { rulesMarkdown } from '../../policies/rules-doc';
import { RULE_CHANGES } from '../../policies/rule-changes';
import { fleet, kvmHost, pinned, vm, xenHost } from './fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function result() {
  const f = fleet({
    hosts: [kvmHost('k1'), xenHost('x1', { dom0: { memoryMiB: 8192, vcpus: 4, pin: true, balloon: true } })],
    vms: [vm('a|b', { host: 'k1', machine: 'pc' }), vm('c', { host: 'k1', rng: false })],
    locations: { 'hosts[x1]': { file: `${ROOT}examples/x/fleet.yaml`, line: 12, column: 5 }, 'vms[a|b]': { file: 'fleet.yaml', line: 30, column: 5 } },
  });
  return evaluatePoliciesDetailed(f, pinned(f), { suppressions: [{ rule: 'KVM-RNG-MISSING', reason: 'appliance without rng driver' }] });
}

describe('JSON report', () => {
  it('follows the DESIGN.md contract', () => {
    const report = jsonReport(result());
    expect(Object.keys(report)).toEqual(['findings', 'suppressed']);
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(['ruleId', 'severity', 'target', 'message', 'location', 'sources']);
    }
    expect(report.findings.find((f) => f.ruleId === 'XEN-DOM0-BALLOON')?.location).toEqual({ file: `${ROOT}examples/x/fleet.yaml`, line: 12, column: 5 });
    expect(report.findings.find((f) => f.ruleId === 'HYB-SENSITIVE-ON-KVM')).toBeUndefined();
    expect(report.suppressed).toEqual([expect.objectContaining({ ruleId: 'KVM-RNG-MISSING', target: 'vms[c]', reason: 'appliance without rng driver', location: null })]);
  });
});

describe('SARIF report', () => {
  const sarif = sarifReport(result(), { baseDir: ROOT, toolVersion: '0.1.0', rules: catalogue(), fallbackFile: 'fleet.yaml' }) as {
    $schema: string; version: string;
    runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string }; helpUri?: string }[] } }; results: Record<string, unknown>[] }[];
  };

  it('has the SARIF 2.1.0 structure code scanning needs', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe('hyperplan');
    expect(run.tool.driver.rules.length).toBe(catalogue().length);
    for (const rule of run.tool.driver.rules) {
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(rule.helpUri).toMatch(/^https?:\/\//);
    }
    for (const r of run.results) {
      expect(['error', 'warning', 'note', 'none']).toContain(r.level);
      expect(run.tool.driver.rules[r.ruleIndex as number]?.id).toBe(r.ruleId);
    }
    const dom0 = run.results.find((r) => r.ruleId === 'XEN-DOM0-BALLOON');
    expect(dom0?.locations).toEqual([{
      physicalLocation: { artifactLocation: { uri: 'examples/x/fleet.yaml' }, region: { startLine: 12, startColumn: 5 } },
      logicalLocations: [{ fullyQualifiedName: 'hosts[x1].dom0', kind: 'object' }],
    }]);
    expect(run.results.find((r) => r.ruleId === 'KVM-RNG-MISSING')?.suppressions).toEqual([{ kind: 'external', justification: 'appliance without rng driver' }]);
  });

  // The official schema, as shipped in the devDependency @microsoft/jest-sarif (draft-04).
  const schemaFile = `${ROOT}node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json`;
  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
    // draft-04 `id` → `$id`; the schema's language-tag pattern is not valid in unicode mode.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile({ ...schema, ...(typeof id === 'string' ? { $id: id } : {}) } as Record<string, unknown>);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});

describe('text and Markdown reports', () => {
  it('prints compiler-style lines and a summary', () => {
    const text = textReport(result());
    expect(text).toContain(`${ROOT}examples/x/fleet.yaml:12:5: error XEN-DOM0-BALLOON hosts[x1].dom0: Dom0 of x1 has balloon: true`);
    expect(text).toContain('Suppressed:\n  KVM-RNG-MISSING vms[c]: appliance without rng driver');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error(s), 1 warning(s), 0 info, 1 suppressed');
  });

  it('escapes table cells in Markdown', () => {
    const md = markdownReport(result());
    expect(md).toContain('| 🛑 error | `XEN-DOM0-BALLOON` |');
    expect(md).toContain('`vms[a\\|b]`');
    expect(md).toContain('<details><summary>Suppressed findings</summary>');
  });
});

describe('docs/rules.md', () => {
  it('names every new or changed rule, each a rule of the catalogue, with why it changed', () => {
    const ids = new Set(catalogue().map((r) => r.id));
    expect(RULE_CHANGES.filter((c) => !ids.has(c.id))).toEqual([]);
    const doc = rulesMarkdown(catalogue());
    for (const c of RULE_CHANGES) expect(doc).toContain(`| [\`${c.id}\`](#${c.id.toLowerCase()}) | ${c.change} |`);
    expect(RULE_CHANGES.map((c) => c.id)).toContain('XEN-MEM-OVERCOMMIT-NO-BALLOON');
  });

  it('is up to date with the rule metadata (regenerate: node --import tsx policies/generate-docs.ts)', () => {
    expect(readFileSync(`${ROOT}docs/rules.md`, 'utf8')).toBe(rulesMarkdown(catalogue()));
  });
});
