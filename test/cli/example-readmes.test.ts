/** Each example README shows what `check` and `plan` print for its fleet; this keeps them true. */
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
