import { describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import { commands } from '../../cli/commands/index';
import type { Io } from '../../cli/command';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, cwd: process.cwd(), env: {}, interactive: false };
  const code = await run(argv, io);
  return { code, out, err };
}

describe('every command', () => {
  it.each(commands.map((c) => c.name))('%s has --help with its usage line, exit 0', async (name) => {
    const { code, out } = await capture([name, '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Usage: hyperplan ${name}\\b`));
  });

  it.each(commands.map((c) => c.name))('%s rejects an unknown option with exit 2 and a pointer to --help', async (name) => {
    const { code, err } = await capture([name, '--no-such-option']);
    expect(code).toBe(2);
    expect(err).toContain(`run 'hyperplan ${name} --help'`);
  });
});

describe('hyperplan rules', () => {
  it('lists the catalogue with its metadata as JSON', async () => {
    const { code, out } = await capture(['rules', '--format', 'json']);
    expect(code).toBe(0);
    const { rules } = JSON.parse(out) as { rules: { id: string; pack: string; severity: string; summary: string; rationale: string; sources: string[] }[] };
    const builtIn = rules.filter((r) => r.pack !== 'engine');
    expect(builtIn.length).toBeGreaterThanOrEqual(30);
    expect(new Set(builtIn.map((r) => r.pack))).toEqual(new Set(['xen', 'kvm', 'hybrid', 'migration', 'placement', 'security']));
    for (const rule of builtIn) {
      expect(rule.sources.length, rule.id).toBeGreaterThan(0);
      expect(rule.rationale.length, rule.id).toBeGreaterThan(20);
    }
  });

  it('rejects an unknown format with exit 2', async () => {
    expect(await capture(['rules', '--format', 'yaml'])).toMatchObject({ code: 2, err: "hyperplan: rules: --format must be one of text, json, markdown, got 'yaml'\n" });
  });
});
