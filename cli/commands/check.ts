/**
 * `hyperplan check <fleet>`: validates the fleet file, places its VMs, and runs the policies.
 * Exit 0 when no error finding remains, 1 when one does (unplaced VMs are error findings), 2 for bad input.
 */
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK } from '../../io/errors';
import { loadFleetOrThrow, readLock, readPolicy } from '../../pipeline/fleet-inputs';
import { choiceOption } from '../options';
import { pathOption, pathResolver, onlyFleetArgument } from '../paths';
import { place } from '../../planner/index';
import { catalogue } from '../../policies/catalogue';
import { evaluatePoliciesDetailed, type PolicyResult } from '../../policies/engine';
import { jsonReportText } from '../../policies/report-json';
import { markdownReport } from '../../policies/report-markdown';
import { sarifReportText } from '../../policies/report-sarif';
import { textReport } from '../../policies/report-text';
import packageJson from '../../package.json' with { type: 'json' };

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate a fleet file, place it, and check the KVM/Xen policies',
  help: [
    'Usage: hyperplan check [fleet] [--policy file] [--lock file] [--format text|json|sarif|markdown]',
    '',
    'Loads and validates the fleet file (problems print as file:line:column: path: message), places its VMs,',
    'and runs the policy rules (see `hyperplan rules`). Findings print with their position in the fleet file.',
    '',
    'Options:',
    '  --policy file   policy file: packs, severities, thresholds, suppressions, custom rules',
    '                  (default: hyperplan.policy.yaml beside the fleet, when present)',
    '  --lock file     placement lock to keep (default: hyperplan.lock.json beside the fleet, when present)',
    '  --format f      text (default), json ({ "findings": [...], "suppressed": [...] }), sarif (2.1.0), markdown',
    '',
    'Exit codes: 0 no error findings, 1 error findings (including unplaced VMs), 2 bad input or usage.',
  ].join('\n'),
  options: { format: { type: 'string' }, policy: { type: 'string' }, lock: { type: 'string' } },
  async run(args, io) {
    const format = choiceOption('check', args.values.format, 'format', FORMATS, 'text');
    const file = onlyFleetArgument('check', args.positionals, io);
    const fleet = loadFleetOrThrow(file, io.cwd, io.env);
    const fleetFile = pathResolver(io)(file);
    const policy = await readPolicy(fleetFile, pathOption('check', args.values.policy, 'policy', io), io.env);
    const placement = place(fleet, readLock(fleetFile, pathOption('check', args.values.lock, 'lock', io)));
    const result: PolicyResult = evaluatePoliciesDetailed(fleet, placement, policy);
    io.stdout(render(result, format, { cwd: io.cwd, fleetFile: file, rules: catalogue(policy.customRules) }));
    return result.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  },
};

function render(result: PolicyResult, format: Format, context: { cwd: string; fleetFile: string; rules: ReturnType<typeof catalogue> }): string {
  switch (format) {
    case 'json':
      return jsonReportText(result);
    case 'sarif':
      return sarifReportText(result, { baseDir: context.cwd, toolVersion: packageJson.version, rules: context.rules, fallbackFile: context.fleetFile });
    case 'markdown':
      return markdownReport(result);
    case 'text':
      return textReport(result);
  }
}
