import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { commands } from '../../cli/commands/index';

describe('every command', () => {
  it.each(commands.map((c) => c.name))('%s has --help with its usage line, exit 0', async (name) => {
    const { code, stdout: out } = await cli([name, '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Usage: hyperplan ${name}\\b`));
  });

  it.each(commands.map((c) => c.name))('%s rejects an unknown option with exit 2 and a pointer to --help', async (name) => {
    const { code, stderr: err } = await cli([name, '--no-such-option']);
    expect(code).toBe(2);
    expect(err).toContain(`run 'hyperplan ${name} --help'`);
  });
});

describe('hyperplan rules', () => {
  it('lists the catalogue with its metadata as JSON', async () => {
    const { code, stdout: out } = await cli(['rules', '--format', 'json']);
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
    expect(await cli(['rules', '--format', 'yaml'])).toMatchObject({ code: 2, stderr: "hyperplan: rules: --format must be one of text, json, markdown, got 'yaml'\n" });
  });
});
