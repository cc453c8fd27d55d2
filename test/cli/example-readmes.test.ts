/**
 * Each example README shows what `check` and `plan` print for its fleet, the hybrid one (and the top-level
 * README) also what `simulate` and `maintenance` print; this keeps them true.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import type { Io } from '../../cli/command';

async function output(argv: string[]): Promise<string> {
  let out = '';
  const io: Io = { stdout: (t) => { out += t; }, stderr: () => undefined, cwd: process.cwd(), env: {}, interactive: false };
  expect(await run(argv, io)).toBe(0);
  return out.trimEnd();
}

describe.each(['kvm', 'xen', 'hybrid'])('examples/%s/README.md', (name) => {
  const fleet = `examples/${name}/fleet.yaml`;
  const readme = readFileSync(`examples/${name}/README.md`, 'utf8');

  it('shows what check prints', async () => {
    expect(readme).toContain(`\`\`\`text\n${await output(['check', fleet])}\n\`\`\``);
  });

  it('explains, outside the printed output, every finding check still prints', async () => {
    const prose = readme.replace(/```[\s\S]*?```/g, '');
    const ruleIds = [...(await output(['check', fleet])).matchAll(/^\S+: (?:error|warning|info) (\S+) /gm)].map((m) => m[1]!);
    for (const ruleId of new Set(ruleIds)) expect(prose, `${name} README does not say why ${ruleId} is printed`).toContain(ruleId);
  });

  it('shows what plan prints', async () => {
    expect(readme).toContain(`\`\`\`text\n${await output(['plan', fleet])}\n\`\`\``);
  });
});

const FAILURE_COMMANDS = [
  ['simulate', 'examples/hybrid/fleet.yaml', '--fail', 'any:1'],
  ['maintenance', 'examples/hybrid/fleet.yaml', '--pool', 'kvm-pool-a', '--return'],
];

describe('failure and maintenance output', () => {
  it.each(FAILURE_COMMANDS.map((argv) => [argv.join(' '), argv] as const))('examples/hybrid/README.md shows what %s prints', async (_, argv) => {
    expect(readFileSync('examples/hybrid/README.md', 'utf8')).toContain(`\`\`\`text\n${await output([...argv])}\n\`\`\``);
  });

  it.each(FAILURE_COMMANDS.map((argv) => [argv.join(' '), argv] as const))('README.md shows what %s prints', async (_, argv) => {
    expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`text\n$ npx hyperplan ${argv.join(' ')}\n${await output([...argv])}\n\`\`\``);
  });
});
