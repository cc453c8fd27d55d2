/**
 * Terraform with the locally built provider and no registry: a `filesystem_mirror` holding the binary
 * under the registry address the synthesized `required_providers` names, so `terraform init` runs as it
 * does for users (lock file included) and `direct` installation is excluded for that provider.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_BINARY, PROVIDER_VERSION, TERRAFORM } from './environment';

const PROVIDER_ADDRESS = 'registry.terraform.io/dmacvicar/libvirt';

export interface TerraformResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TerraformRunner {
  /** Runs `terraform args…` in `dir`; never throws on a non-zero exit. */
  run(dir: string, args: readonly string[]): TerraformResult;
  /** Runs it and throws with Terraform's output unless the exit code is one of `ok`. */
  expect(dir: string, args: readonly string[], ok?: readonly number[]): TerraformResult;
}

/** Writes the mirror and the CLI configuration under `root`. */
export function terraformWithLocalProvider(root: string): TerraformRunner {
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const mirror = join(root, 'provider-mirror');
  const packageDir = join(mirror, PROVIDER_ADDRESS, PROVIDER_VERSION, platform);
  mkdirSync(packageDir, { recursive: true });
  copyFileSync(PROVIDER_BINARY, join(packageDir, `terraform-provider-libvirt_v${PROVIDER_VERSION}`));
  const cliConfig = join(root, 'terraform.rc');
  writeFileSync(
    cliConfig,
    [
      'provider_installation {',
      `  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["${PROVIDER_ADDRESS}"]\n  }`,
      `  direct {\n    exclude = ["${PROVIDER_ADDRESS}"]\n  }`,
      '}',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_PLUGIN_CACHE_DIR: '' };
  const run = (dir: string, args: readonly string[]): TerraformResult => {
    const result = spawnSync(TERRAFORM, [...args], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    run,
    expect(dir, args, ok = [0]) {
      const result = run(dir, args);
      if (!ok.includes(result.status)) {
        throw new Error(`terraform ${args.join(' ')} exited ${result.status} in ${dir}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
      }
      return result;
    },
  };
}
