import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBindings } from '../../schema/generate-bindings';
import { schemaPath } from '../../schema/snapshot';

function filesUnder(root: string, directory = root): string[] {
  return readdirSync(directory).sort().flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(root, path) : [relative(root, path)];
  });
}

describe('generateBindings', () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'hp-gen-a-')), mkdtempSync(join(tmpdir(), 'hp-gen-b-'))];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is deterministic and yields one class per resource, data source and the provider', async () => {
    const schema = readFileSync(schemaPath(), 'utf8');
    for (const dir of dirs) await generateBindings(dir, schema);
    const [first, second] = dirs.map((dir) => filesUnder(dir));
    expect(second).toEqual(first);
    for (const file of first!) {
      expect(readFileSync(join(dirs[1]!, file), 'utf8'), file).toBe(readFileSync(join(dirs[0]!, file), 'utf8'));
    }
    const domain = readFileSync(join(dirs[0]!, 'providers/libvirt/domain/index.ts'), 'utf8');
    expect(domain).toContain("public static readonly tfResourceType = \"libvirt_domain\"");
    expect(domain).toContain("providerVersion: '~> 0.9.7'");
    const provider = readFileSync(join(dirs[0]!, 'providers/libvirt/provider/index.ts'), 'utf8');
    expect(provider).toContain('export class LibvirtProvider extends cdktf.TerraformProvider');
    expect(first).toContain('providers/libvirt/data-libvirt-node-info/index.ts');
  });
});
