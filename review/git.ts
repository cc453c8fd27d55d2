/**
 * The I/O of the review: reading a revision's files out of git into a temporary directory (never the
 * work tree, which may hold uncommitted edits or another branch) and reading synthesized output back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../io/errors';
import type { JsonObject, SynthStack } from './terraform-json';

/** Git output can be a whole tree archive. */
const MAX_GIT_OUTPUT = 1024 * 1024 * 1024;

function git(cwd: string, args: readonly string[]): Buffer {
  try {
    return execFileSync('git', ['-C', cwd, ...args], { maxBuffer: MAX_GIT_OUTPUT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new InputError([`git ${args.join(' ')} (in ${cwd}) failed: ${stderr || (error as Error).message}`]);
  }
}

/** The repository holding `path` (a file or directory). */
export function gitTopLevel(path: string): string {
  const dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(resolve(path));
  return git(dir, ['rev-parse', '--show-toplevel']).toString().trim();
}

/** The commit `ref` names, or an InputError saying the ref is unknown. */
export function resolveCommit(repo: string, ref: string): string {
  return git(repo, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]).toString().trim();
}

/** `path` relative to the repository root, with `/` separators, as git names it. */
export function repoPath(repo: string, path: string): string {
  return relative(repo, resolve(path)).split(sep).join('/');
}

/** Whether `path` (repository-relative) exists in `commit`. */
export function existsAt(repo: string, commit: string, path: string): boolean {
  return git(repo, ['ls-tree', '--name-only', commit, '--', path]).toString().trim() !== '';
}

/**
 * Writes the tree of `dir` (repository-relative; '' or '.' for the whole repository) at `commit` under
 * `dest`, keeping repository-relative paths, so relative references in the fleet (cloud-init files, the
 * lock and policy files) resolve as they did in that commit.
 */
export function materializeTree(repo: string, commit: string, dir: string, dest: string): void {
  const archive = git(repo, ['archive', '--format=tar', commit, ...(dir === '' || dir === '.' ? [] : ['--', dir])]);
  const tar = spawnSync('tar', ['-x', '-C', dest], { input: archive, maxBuffer: MAX_GIT_OUTPUT });
  if (tar.status !== 0) throw new Error(`tar -x failed extracting ${commit}:${dir}: ${tar.stderr.toString()}`);
}

/** Writes one file of `commit` (repository-relative `path`) to the same relative path under `dest`. */
export function materializeFile(repo: string, commit: string, path: string, dest: string): void {
  const target = join(dest, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, git(repo, ['show', `${commit}:${path}`]));
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hyperplan-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** `<dir>/stacks/<stack>/cdk.tf.json` for every stack; `dir` is a `cdktf.out` folder. */
export function readSynthOutput(dir: string): SynthStack[] {
  const stacksDir = join(dir, 'stacks');
  if (!existsSync(stacksDir)) throw new InputError([`${dir}: no stacks/ folder; expected a cdktf.out directory (cdktf synth or hyperplan synth output)`]);
  const stacks: SynthStack[] = [];
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    stacks.push({ name, document: readJson(file) });
  }
  return stacks;
}

export function readJson(file: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError([`${file}: cannot read JSON (${(error as Error).message})`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError([`${file}: expected a JSON object`]);
  return value as JsonObject;
}
