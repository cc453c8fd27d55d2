/**
 * Terraform identifiers from fleet names. Resource addresses are what `terraform plan` and the review
 * diff show, so they are built from names (`kvm_a1_web_1`) instead of cdktf's hashed construct paths.
 * The naming itself lives in fleet/terraform-names.ts, where the loader checks it for collisions.
 */
import type { TerraformElement } from './cdk-engine';
import { terraformId } from '../fleet/terraform-names';

export { terraformId };

/** Gives `element` the readable address `terraformId(...parts)` and returns it. */
export function named<T extends TerraformElement>(element: T, ...parts: readonly string[]): T {
  element.overrideLogicalId(terraformId(...parts));
  return element;
}
