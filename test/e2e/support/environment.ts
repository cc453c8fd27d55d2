/**
 * What the end-to-end suite needs from the machine: a `terraform-provider-libvirt` binary built from the
 * provider's source (HYPERPLAN_E2E_PROVIDER), a Terraform CLI (HYPERPLAN_E2E_TERRAFORM, default
 * `terraform`) and `libvirtd` + `virsh`. Without the provider the suite skips with one line saying what to
 * set; the rest missing with the provider given is a failure, since the operator asked for the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROVIDER_BINARY = process.env.HYPERPLAN_E2E_PROVIDER ?? '';
export const TERRAFORM = process.env.HYPERPLAN_E2E_TERRAFORM ?? 'terraform';
export const PROVIDER_VERSION = '0.9.7';

function onPath(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Why the suite cannot run, or undefined when it can. */
function missing(): string | undefined {
  if (PROVIDER_BINARY === '') {
    return 'set HYPERPLAN_E2E_PROVIDER=/path/to/terraform-provider-libvirt (v0.9.7 built from source, see README "End to end")';
  }
  if (!existsSync(PROVIDER_BINARY)) return `HYPERPLAN_E2E_PROVIDER=${PROVIDER_BINARY} does not exist`;
  if (!onPath(TERRAFORM, ['version'])) return `no Terraform CLI at '${TERRAFORM}' (set HYPERPLAN_E2E_TERRAFORM)`;
  if (!onPath('libvirtd', ['--version']) || !onPath('virsh', ['--version'])) return 'libvirtd and virsh are needed (Debian: libvirt-daemon libvirt-clients)';
  return undefined;
}

export const E2E_MISSING = missing();
export const RUN_E2E = E2E_MISSING === undefined;
if (E2E_MISSING !== undefined && PROVIDER_BINARY === '') console.warn(`end-to-end suite skipped: ${E2E_MISSING}`);
else if (E2E_MISSING !== undefined) throw new Error(`end-to-end suite cannot run: ${E2E_MISSING}`);
