/**
 * Terraform identifiers from fleet names. Resource addresses are what `terraform plan` and the review
 * diff show, so they are built from names (`kvm_a1_web_1`) instead of cdktf's hashed construct paths.
 */
import type { TerraformElement } from 'cdktf';

/** `kvm-a1`, `web-1` → `kvm_a1_web_1`: letters, digits and `_`, never starting with a digit. */
export function terraformId(...parts: readonly string[]): string {
  const id = parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** Gives `element` the readable address `terraformId(...parts)` and returns it. */
export function named<T extends TerraformElement>(element: T, ...parts: readonly string[]): T {
  element.overrideLogicalId(terraformId(...parts));
  return element;
}
