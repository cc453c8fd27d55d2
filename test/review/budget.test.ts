/** The disruption budget of `hyperplan review`: the restart predicate, the verdict, Markdown, flags and policy file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicyFile } from '../../policies/policy-file';
import { budgetUse, restartsVm } from '../../review/budget';
import { renderMarkdown } from '../../review/markdown';
import { reviewExitCode } from '../../review/review';
import type { Review, VmChange } from '../../review/types';
import { cli, type CliResult } from '../support/cli';
import { gitRepo } from '../support/git-repo';
import { BASE_FLEET, edit } from './fleets';

const change = (vm: string, kind: VmChange['change'], migration?: VmChange['migration']): VmChange => ({
  vm,
  change: kind,
  host: 'h',
  ...(migration ? { migration, from: 'a', to: 'b' } : {}),
  restarts: restartsVm({ change: kind, ...(migration ? { migration } : {}) }),
  reasons: [],
});
const CHANGES = [change('r', 'restart'), change('p', 'replace'), change('live', 'move', 'live'), change('cold', 'move', 'offline'), change('u', 'update'), change('c', 'create')];

describe('restartsVm', () => {
  it('counts restarts, replacements and moves that cannot live-migrate; not live moves, updates, creates', () => {
    expect(CHANGES.filter(restartsVm).map((c) => c.vm)).toEqual(['r', 'p', 'cold']);
  });
});

describe('budgetUse', () => {
  it('is absent without limits', () => {
    expect(budgetUse(CHANGES, undefined)).toBeUndefined();
    expect(budgetUse(CHANGES, {})).toBeUndefined();
  });

  it('lists what counts and which limit is exceeded', () => {
    expect(budgetUse(CHANGES, { maxRestarts: 2, maxMoves: 2 })).toEqual({
      maxRestarts: 2, maxMoves: 2, restarts: ['r', 'p', 'cold'], moves: ['live', 'cold'], exceeded: ['restarts'],
    });
    expect(budgetUse(CHANGES, { maxMoves: 1 })?.exceeded).toEqual(['moves']);
    expect(budgetUse(CHANGES, { maxRestarts: 3 })?.exceeded).toEqual([]);
  });
});

const review = (budget: Review['budget']): Review => ({
  vms: CHANGES, dataLoss: [], hosts: [], pools: [], findings: { new: [], resolved: [], suppressed: [] }, resources: [], source: 'synth', notes: [],
  ...(budget ? { budget } : {}),
});

describe('the review verdict and Markdown', () => {
  it('fails over budget unless --fail-on none', () => {
    const over = review(budgetUse(CHANGES, { maxRestarts: 1 }));
    expect(reviewExitCode(over, 'both')).toBe(1);
    expect(reviewExitCode(over, 'errors')).toBe(1);
    expect(reviewExitCode(over, 'none')).toBe(0);
    expect(reviewExitCode(review(budgetUse(CHANGES, { maxRestarts: 3 })), 'both')).toBe(0);
  });

  it('shows the budget used and the VMs that count', () => {
    const markdown = renderMarkdown(review(budgetUse(CHANGES, { maxRestarts: 1, maxMoves: 5 })));
    expect(markdown.split('\n')[0]).toContain('✖ over the disruption budget');
    expect(markdown).toContain('### ✖ Disruption budget exceeded');
    expect(markdown).toContain('| restarts | 3 / 1 | ✖ exceeded | `r`, `p`, `cold` |');
    expect(markdown).toContain('| moves | 2 / 5 | ✔ | `live`, `cold` |');
    expect(renderMarkdown(review(undefined))).not.toContain('Disruption budget');
  });
});

describe('budget: in the policy file', () => {
  it('reads maxRestarts and maxMoves', () => {
    const parsed = parsePolicyFile('budget: { maxRestarts: 2, maxMoves: 0 }\n', 'p.yaml');
    expect(parsed.ok && parsed.policy.config.budget).toEqual({ maxRestarts: 2, maxMoves: 0 });
  });

  it('locates a bad value or key', () => {
    const parsed = parsePolicyFile('budget:\n  maxRestarts: -1\n  maxMovez: 3\n', 'p.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(2);
    expect(parsed.problems[0]).toMatch(/^p\.yaml:2:16: budget\.maxRestarts: /);
    expect(parsed.problems[1]).toMatch(/^p\.yaml:3:3: budget(\.maxMovez)?: /);
  });
});

describe('hyperplan review with a budget', () => {
  const repo = mkdtempSync(join(tmpdir(), 'hyperplan-budget-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const { initWithBase } = gitRepo(repo);
  const hyperplan = (...argv: string[]): Promise<CliResult> => cli(argv, { cwd: repo });

  it('fails when the change moves or restarts more VMs than allowed, listing them; a flag overrides the policy file', async () => {
    writeFileSync(join(repo, 'fleet.yaml'), BASE_FLEET);
    initWithBase();
    // web-1 and app-1 move inside their pools on shared storage; db-1 gets more memory (restart). A plain
    // synthesis destroys and recreates a moved VM (only `synth --moves live` moves its state), so the moves
    // restart their guests too.
    writeFileSync(
      join(repo, 'fleet.yaml'),
      edit(
        BASE_FLEET,
        ['memory: 8GiB\n    host: kvm-a1', 'memory: 8GiB\n    host: kvm-a2'],
        ['memory: 16GiB\n    host: kvm-a2', 'memory: 24GiB\n    host: kvm-a2'],
        ['host: kvm-b1', 'host: kvm-b2'],
      ),
    );

    const flags = await hyperplan('review', '--base', 'HEAD', 'fleet.yaml', '--format', 'json', '--max-moves', '1', '--max-restarts', '1');
    expect(flags.stderr).toBe('');
    expect(flags.code).toBe(1);
    expect(JSON.parse(flags.stdout).budget).toEqual({ maxRestarts: 1, maxMoves: 1, restarts: ['app-1', 'db-1', 'web-1'], moves: ['app-1', 'web-1'], exceeded: ['restarts', 'moves'] });
    expect((await hyperplan('review', '--base', 'HEAD', 'fleet.yaml', '--max-moves', '2')).code).toBe(0);

    writeFileSync(join(repo, 'hyperplan.policy.yaml'), 'budget: { maxRestarts: 0 }\n');
    const policy = await hyperplan('review', '--base', 'HEAD', 'fleet.yaml');
    expect(policy.code).toBe(1);
    expect(policy.stdout).toContain('| restarts | 3 / 0 | ✖ exceeded | `app-1`, `db-1`, `web-1` |');
    expect(policy.stdout).toContain("This change sets the policy file's budget.maxRestarts from no limit to 0");
    expect((await hyperplan('review', '--base', 'HEAD', 'fleet.yaml', '--max-restarts', '3')).code).toBe(0);
  });

  it('rejects a budget that is not a whole number', async () => {
    const bad = await hyperplan('review', '--base', 'HEAD', 'fleet.yaml', '--max-moves', 'two');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("review: --max-moves needs a whole number ≥ 0, got 'two'");
  });
});
