/**
 * Progress on long runs: shown on an interactive terminal only, never in CI or with --quiet, and never
 * on stdout (where results and JSON go).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_SEED, generateFleet } from '../../bench/generate-fleet';
import { createProgress } from '../../cli/progress';
import { cli } from '../support/cli';

function recorder(interactive: boolean): { io: { stderr: (text: string) => void; interactive: boolean }; writes: string[] } {
  const writes: string[] = [];
  return { io: { stderr: (text) => writes.push(text), interactive }, writes };
}

describe('createProgress', () => {
  it('rewrites one line in place on a terminal, once per whole percent, and clears it', () => {
    const { io, writes } = recorder(true);
    const progress = createProgress(io);
    for (let done = 0; done <= 20_000; done++) progress.step('placing', done, 20_000);
    progress.done();
    expect(writes.length).toBe(102);
    expect(writes[0]).toBe('\rplacing 0% (0/20000)');
    expect(writes[100]).toBe('\rplacing 100% (20000/20000)');
    expect(writes.every((w) => w.startsWith('\r') && !w.includes('\n'))).toBe(true);
    expect(writes[101]).toBe(`\r${' '.repeat('placing 100% (20000/20000)'.length)}\r`);
  });

  it('pads a shorter line over a longer one', () => {
    const { io, writes } = recorder(true);
    const progress = createProgress(io);
    progress.step('synthesizing stacks', 1, 2);
    progress.step('done', 1, 1);
    expect(writes[1]).toBe(`\r${'done 100% (1/1)'.padEnd('synthesizing stacks 50% (1/2)'.length)}`);
  });

  it('writes nothing when not interactive or when quiet', () => {
    for (const [interactive, quiet] of [[false, false], [true, true], [false, true]] as const) {
      const { io, writes } = recorder(interactive);
      const progress = createProgress(io, quiet);
      progress.step('placing', 1, 2);
      progress.done();
      expect(writes).toEqual([]);
    }
  });
});

describe('commands stay quiet outside a terminal', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hyperplan-progress-'));
    writeFileSync(join(dir, 'fleet.yaml'), generateFleet({ hosts: 10, vms: 200, seed: BENCH_SEED }).text);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['plan', ['plan', 'fleet.yaml']],
    ['plan --format json', ['plan', 'fleet.yaml', '--format', 'json']],
    ['synth', ['synth', 'fleet.yaml', '--out', 'out-ci']],
  ])('%s prints results only: stderr stays empty when not interactive', async (_label, argv) => {
    const result = await cli(argv, { cwd: dir, interactive: false });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toBe('');
  });

  it('synth --quiet prints no progress even on a terminal', async () => {
    const result = await cli(['synth', 'fleet.yaml', '--out', 'out-quiet', '--quiet'], { cwd: dir, interactive: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('synth shows each stage on a terminal, on stderr only, and clears the line', async () => {
    const result = await cli(['synth', 'fleet.yaml', '--out', 'out-tty'], { cwd: dir, interactive: true });
    expect(result.code, result.stderr).toBe(0);
    for (const stage of ['loading the fleet', 'placing VMs', 'checking policies', 'building stacks', 'synthesizing', 'writing']) {
      expect(result.stderr).toContain(`synth: ${stage}`);
    }
    expect(result.stderr.endsWith('\r')).toBe(true);
    expect(result.stdout).not.toMatch(/\r/);
  });

  it('plan shows progress on a terminal and none with --quiet', async () => {
    const shown = await cli(['plan', 'fleet.yaml'], { cwd: dir, interactive: true });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toContain('plan: placing VMs');
    const quiet = await cli(['plan', 'fleet.yaml', '--quiet'], { cwd: dir, interactive: true });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(shown.stdout);
  });
});
