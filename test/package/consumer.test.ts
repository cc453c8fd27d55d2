/**
 * The package as a CDKTF user gets it: `npm pack`, install the tarball into an empty project (registry
 * packages from npm's cache, as `npm ci` filled it), type-check examples/typescript against it with
 * `tsc --noEmit`, and synthesize it with `cdktf synth` (cdktf 0.21) and `cdktn synth` (CDK Terrain 0.24,
 * installed under the `cdktf` name as a package alias). Took 7.6 and 11.3 minutes on the shared, loaded 2-core
 * development machine (the tsc build of `npm pack` is half of it), so it runs as its own step:
 * `npm run test:package` (in `.ci/run`).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindingsStamp } from '../../schema/bindings-stamp';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/typescript');
const BIN = join(ROOT, 'node_modules/.bin');
const ENGINES = {
  cdktf: { dependency: '0.21.0', cli: join(BIN, 'cdktf') },
  // CDK Terrain keeps CDKTF's API under a new name; the alias makes `cdktf` imports (hyperplan's and the app's) resolve to it.
  cdktn: { dependency: 'npm:cdktn@0.24.0', cli: join(BIN, 'cdktn') },
} as const;
type Engine = keyof typeof ENGINES;

const work = mkdtempSync(join(tmpdir(), 'hyperplan-consumer-'));
let tarball = '';
let registryUnreachable = '';
const installSeconds: Partial<Record<Engine, number>> = {};
afterAll(() => rmSync(work, { recursive: true, force: true }));

function exampleDependencies(engine: Engine): Record<string, string> {
  const example = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const { 'cdktf-cli': _cli, ...dev } = example.devDependencies;
  return { ...example.dependencies, ...dev, hyperplan: `file:${tarball}`, cdktf: ENGINES[engine].dependency };
}

async function project(engine: Engine): Promise<string> {
  const dir = join(work, engine);
  mkdirSync(dir);
  for (const file of ['main.ts', 'tsconfig.json', 'cdktf.json']) copyFileSync(join(EXAMPLE, file), join(dir, file));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${engine}`, private: true, type: 'module', dependencies: exampleDependencies(engine) }, null, 2));
  const started = performance.now();
  try {
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (error) {
    const text = String((error as { stderr?: string }).stderr ?? error);
    if (!process.env.CI && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(text)) {
      registryUnreachable = text.split('\n').find((l) => /E[A-Z]+/.test(l)) ?? text;
      return dir;
    }
    throw error;
  }
  installSeconds[engine] = (performance.now() - started) / 1000;
  return dir;
}

/** cdktn-cli 0.24 needs Node 22.19 (see uncloneable-shim.cjs); older Node runs it with the shim preloaded. */
function cliEnv(engine: Engine): NodeJS.ProcessEnv {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const shim = engine === 'cdktn' && (major < 22 || (major === 22 && minor < 19));
  return {
    ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0',
    ...(shim ? { NODE_OPTIONS: `--require ${join(import.meta.dirname, 'uncloneable-shim.cjs')} --max-old-space-size=4096` } : {}),
  };
}

async function synth(engine: Engine, dir: string): Promise<string> {
  await run(ENGINES[engine].cli, ['synth', '--output', 'cdktf.out'], { cwd: dir, env: cliEnv(engine), timeout: 240_000 });
  return readFileSync(join(dir, 'cdktf.out/stacks/site-a/cdk.tf.json'), 'utf8');
}

interface StackJson {
  readonly '//': { readonly metadata: { readonly version: string; readonly stackName: string } };
  readonly resource: Record<string, Record<string, { readonly name?: string }>>;
  readonly provider: { readonly libvirt: readonly { readonly alias: string }[] };
}

const dirs: Partial<Record<Engine, string>> = {};

beforeAll(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  tarball = join(work, info!.filename);
  process.stdout.write(`packed ${info!.filename}: ${(info!.size / 1024 / 1024).toFixed(2)} MiB, ${(info!.unpackedSize / 1024 / 1024).toFixed(1)} MiB unpacked, ${info!.entryCount} files\n`);
  for (const engine of Object.keys(ENGINES) as Engine[]) dirs[engine] = await project(engine);
  process.stdout.write(`install: ${JSON.stringify(installSeconds)} s\n`);
}, 900_000);

describe('the packed package', () => {
  it('ships compiled JavaScript, declarations and bindings stamped with the committed schema, and no sources or install scripts', async () => {
    const listing = (await run('tar', ['-tzf', tarball], { maxBuffer: 64 * 1024 * 1024 })).stdout.split('\n').filter(Boolean);
    expect(listing).toContain('package/dist/index.js');
    expect(listing).toContain('package/dist/index.d.ts');
    expect(listing).toContain('package/dist/.gen/providers/libvirt/domain/index.js');
    expect(listing.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(listing.filter((f) => f.startsWith('package/test/') || f.startsWith('package/bench/'))).toEqual([]);
    const pkg = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?install$/.test(s))).toEqual([]);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['fast-xml-parser', 'js-yaml', 'yaml', 'zod']);
    const stamp = (await run('tar', ['-xzOf', tarball, 'package/dist/.gen/.schema-sha256'])).stdout;
    expect(stamp).toBe(bindingsStamp().schemaDigest);
  });

  it('runs its bin from the compiled JavaScript: the installed package has no TypeScript sources for tsx', async (ctx) => {
    if (registryUnreachable) ctx.skip();
    const dir = dirs.cdktf!;
    expect(() => statSync(join(dir, 'node_modules/hyperplan/cli/main.ts'))).toThrow();
    const { stdout } = await run(join(dir, 'node_modules/.bin/hyperplan'), ['--version'], { cwd: dir });
    expect(stdout.trim()).toBe('0.1.0');
  });

  for (const engine of Object.keys(ENGINES) as Engine[]) {
    it(`type-checks the TypeScript example and synthesizes it with ${engine}`, async (ctx) => {
      if (registryUnreachable) {
        process.stdout.write(`skipped: the npm registry is unreachable (${registryUnreachable.trim()})\n`);
        ctx.skip();
      }
      const dir = dirs[engine]!;
      await run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], { cwd: dir });
      const json = JSON.parse(await synth(engine, dir)) as StackJson;
      expect(json['//'].metadata.stackName).toBe('site-a');
      expect(json.provider.libvirt.map((p) => p.alias).sort()).toEqual(['kvm_a1', 'kvm_a2', 'xen_s1']);
      expect(Object.values(json.resource.libvirt_domain ?? {}).map((d) => d.name).sort()).toEqual(['vault-1', 'web-1', 'web-2']);
      expect(Object.keys(json.resource).sort()).toEqual(['libvirt_domain', 'libvirt_network', 'libvirt_pool', 'libvirt_volume']);
    }, 600_000);
  }

  it('synthesizes the same bytes with both engines but for the engine version', (ctx) => {
    if (registryUnreachable) ctx.skip();
    const text = (engine: Engine): string => readFileSync(join(dirs[engine]!, 'cdktf.out/stacks/site-a/cdk.tf.json'), 'utf8');
    const cdktf = text('cdktf');
    expect(cdktf).toContain('"version": "0.21.0"');
    expect(text('cdktn')).toContain('"version": "0.24.0"');
    const cdktn = text('cdktn').replace('"version": "0.24.0"', '"version": "0.21.0"');
    // The stack file is written by hyperplan's own writer (io/stable-json.ts, json-stable-stringify's
    // format: an empty object over two lines), not the engine's: cdktn's own writer prints `{}`.
    expect(cdktf).toMatch(/"apic": \{\n\s+\}/);
    expect(cdktn).toBe(cdktf);
  });
});
