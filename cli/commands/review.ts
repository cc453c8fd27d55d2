/**
 * `hyperplan review --base <ref> [fleet]`: what merging this change does to the fleet, for a pull-request
 * comment. `pipeline/review.ts` synthesizes both revisions (the base read from git into a temporary
 * directory, never the work tree), diffs them per resource or reads a real `terraform show -json` plan;
 * this command parses the options and renders Markdown or JSON.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from '../../io/errors';
import { writeFileAtomic } from '../../io/atomic-write';
import { LOCK_FILE_NAME } from '../../pipeline/fleet-inputs';
import { runReview } from '../../pipeline/review';
import { choiceOption, stringOption } from '../options';
import { DEFAULT_FLEET, fleetArgument, pathResolver } from '../paths';
import { POLICY_FILE_NAME } from '../../policies/policy-file';
import { renderMarkdown } from '../../review/markdown';
import { FAIL_ON_VALUES, reviewExitCode, type FailOn } from '../../review/review';

/** `text` is the Markdown too (the command-line contract: every command takes `--format text|json`). */
const FORMATS = ['markdown', 'text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** A whole number ≥ 0 given as `--<name> N`, or undefined. */
function countOption(value: unknown, name: string): number | undefined {
  const given = stringOption('review', value, name);
  if (given === undefined) return undefined;
  if (!/^\d+$/.test(given)) throw new UsageError(`review: --${name} needs a whole number ≥ 0, got '${given}'`);
  return Number(given);
}

export const reviewCommand: Command = {
  name: 'review',
  summary: 'review a change for a pull request: VM changes, data at risk, capacity, findings',
  help: [
    'Usage: hyperplan review --base <ref> [--head <ref>] [fleet] [options]',
    '       hyperplan review --base-dir <cdktf.out> --head-dir <cdktf.out> [options]',
    '       hyperplan review --plan <terraform show -json output> [--base <ref> [fleet]] [options]',
    '',
    'Synthesizes the fleet at the base revision (read from git into a temporary directory; the work tree is',
    'never touched) and at the head (a ref, or the work tree by default), compares them resource by resource,',
    'and says per VM: create, destroy, update (in place), restart, replace or move, and why. Data volumes that',
    'would be destroyed come first. Host capacity and migration-pool headroom before/after come from the',
    'planner; policy findings are compared by rule and target. With --plan, resource changes come from a real',
    'Terraform plan (repeat --plan for several stacks).',
    '',
    'Values that can carry secrets (cloud-init data, console passwords, anything the plan flags sensitive) are',
    'never printed: "changed (content hidden)" with short digests, keyed with HYPERPLAN_FINGERPRINT_KEY when set.',
    '',
    'Arguments:',
    `  fleet              fleet file (default: ${DEFAULT_FLEET} in the current directory, else $HYPERPLAN_FLEET)`,
    '',
    'Options:',
    '  --base ref         git revision to compare against (e.g. origin/main)',
    '  --head ref         git revision to review (default: the work tree)',
    '  --base-dir dir     compare two existing cdktf.out folders instead of synthesizing …',
    '  --head-dir dir     … (both needed)',
    '  --plan file        `terraform show -json` output to take resource changes from (repeatable)',
    `  --lock file        placement lock (default ${LOCK_FILE_NAME} beside the fleet, as in each revision)`,
    `  --policy file      policy file (default ${POLICY_FILE_NAME} beside the fleet, as in each revision)`,
    '  --format f         markdown (default; text is the same Markdown) or json',
    '  --out file         write the review to this file (atomically) instead of stdout',
    '  --fail-on what     errors | data-loss | both (default) | none: what makes the exit code 1',
    '  --max-restarts N   disruption budget: fail when more than N VMs restart (restart, replace, or a move',
    '                     that cannot live-migrate); overrides `budget: { maxRestarts }` of the head policy file',
    '  --max-moves N      fail when more than N VMs move to another host (live or not); overrides `budget: { maxMoves }`',
    '',
    'Exit codes: 0 clean, 1 new policy errors or unprotected data loss (see --fail-on) or an exceeded disruption',
    'budget (unless --fail-on none), 2 bad input or usage.',
  ].join('\n'),
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    'base-dir': { type: 'string' },
    'head-dir': { type: 'string' },
    plan: { type: 'string', multiple: true },
    lock: { type: 'string' },
    policy: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'fail-on': { type: 'string' },
    'max-restarts': { type: 'string' },
    'max-moves': { type: 'string' },
  },
  async run(args, io) {
    const format = choiceOption<Format>('review', args.values.format, 'format', FORMATS, 'markdown');
    const failOn = choiceOption<FailOn>('review', args.values['fail-on'], 'fail-on', FAIL_ON_VALUES, 'both');
    const [given, ...extra] = args.positionals;
    if (extra.length > 0) throw new UsageError(`review: expected at most one fleet file, got ${args.positionals.length}`);
    const resolvePath = pathResolver(io);
    const resolve = (path: string | undefined): string | undefined => (path === undefined ? undefined : resolvePath(path));
    const base = stringOption('review', args.values.base, 'base');
    const head = stringOption('review', args.values.head, 'head');
    if (head !== undefined && base === undefined) throw new UsageError('review: --head needs --base');
    const plans = Array.isArray(args.values.plan) ? args.values.plan.map((p) => resolve(stringOption('review', p, 'plan')) as string) : [];
    let fleetFile: string | undefined;
    if (base !== undefined) {
      fleetFile = resolvePath(fleetArgument('review', given, io));
      if (head === undefined && !existsSync(fleetFile)) throw new InputError([`${fleetFile}: fleet file not found`]);
      if (!existsSync(dirname(fleetFile))) throw new InputError([`${dirname(fleetFile)}: directory not found`]);
    }
    const baseDir = resolve(stringOption('review', args.values['base-dir'], 'base-dir'));
    const headDir = resolve(stringOption('review', args.values['head-dir'], 'head-dir'));
    const lockFile = resolve(stringOption('review', args.values.lock, 'lock'));
    const policyFile = resolve(stringOption('review', args.values.policy, 'policy'));
    const maxRestarts = countOption(args.values['max-restarts'], 'max-restarts');
    const maxMoves = countOption(args.values['max-moves'], 'max-moves');
    const review = await runReview({
      env: io.env,
      ...(fleetFile !== undefined ? { fleetFile } : {}),
      ...(base !== undefined ? { base } : {}),
      ...(head !== undefined ? { head } : {}),
      ...(baseDir !== undefined ? { baseDir } : {}),
      ...(headDir !== undefined ? { headDir } : {}),
      plans,
      ...(lockFile !== undefined ? { lockFile } : {}),
      ...(policyFile !== undefined ? { policyFile } : {}),
      budget: { ...(maxRestarts !== undefined ? { maxRestarts } : {}), ...(maxMoves !== undefined ? { maxMoves } : {}) },
    });
    const text = format === 'json' ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review);
    const out = resolve(stringOption('review', args.values.out, 'out'));
    if (out !== undefined) writeFileAtomic(out, text);
    else io.stdout(text);
    return reviewExitCode(review, failOn) === 1 ? EXIT_FINDINGS : EXIT_OK;
  },
};
