import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import type { Io } from '../../cli/command';

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, cwd: process.cwd(), env: {}, interactive: false };
  return { io, out: () => out, err: () => err };
}

describe('hyperplan CLI shell', () => {
  it('prints help listing the commands, exit 0', async () => {
    const c = capture();
    expect(await run(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: hyperplan <command> [fleet] [options]');
    expect(c.out()).toContain('Exit codes: 0 clean, 1 policy errors or unplaceable VMs, 2 bad input or usage.');
  });

  it('prints the package version', async () => {
    const c = capture();
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await run(['--version'], c.io)).toBe(0);
    expect(c.out()).toBe(`${pkg.version}\n`);
  });

  it('rejects an unknown command with exit 2 and no stack trace', async () => {
    const c = capture();
    expect(await run(['frobnicate'], c.io)).toBe(2);
    expect(c.err()).toBe("hyperplan: unknown command 'frobnicate'; run 'hyperplan --help' for the list\n");
  });

  it('runs as a real process through bin/hyperplan.js', () => {
    const result = spawnSync(process.execPath, ['bin/hyperplan.js', 'nope'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'nope'");
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
