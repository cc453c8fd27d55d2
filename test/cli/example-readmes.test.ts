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

  it('shows what plan prints', async () => {
    expect(readme).toContain(`\`\`\`text\n${await output(['plan', fleet])}\n\`\`\``);
  });
});
