import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function hyperplan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/hyperplan.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('hyperplan check', () => {
  it('exits 2 with one located line per problem and no stack trace', () => {
    const { status, stdout, stderr } = hyperplan('check', 'test/fixtures/fleet/five-mistakes.yaml');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^test\/fixtures\/fleet\/five-mistakes\.yaml:\d+:\d+: \S+: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each(['kvm', 'xen', 'hybrid'])('accepts examples/%s', (example) => {
    const { status, stderr } = hyperplan('check', `examples/${example}/fleet.yaml`);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('prints JSON findings with --format json', () => {
    const { status, stdout } = hyperplan('check', 'examples/kvm/fleet.yaml', '--format', 'json');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ findings: [] });
  });

  it('exits 2 on a missing fleet argument or an unknown format', () => {
    expect(hyperplan('check').status).toBe(2);
    const { status, stderr } = hyperplan('check', 'examples/kvm/fleet.yaml', '--format', 'xml');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^hyperplan: check: --format must be one of text, json/);
  });
});

describe('hyperplan schema', () => {
  it('prints the committed JSON Schema', () => {
    const { status, stdout } = hyperplan('schema');
    expect(status).toBe(0);
    expect(stdout).toBe(readFileSync('schema/fleet.schema.json', 'utf8'));
  });
});
