/**
 * Terraform `removed` blocks that forget resources without destroying them (Terraform ≥ 1.7): what a
 * domain leaves behind in its old host's state when it was live-migrated. cdktf 0.21 has no construct for
 * them (it knows `moved` and `import` only), so this element writes the top-level block itself; in
 * Terraform JSON a block without labels is an array of objects under its type
 * (`"removed": [{ "from": "libvirt_domain.x", "lifecycle": { "destroy": false } }]`, hashicorp/terraform
 * internal/configs/removed.go reads `from` as a traversal and `lifecycle.destroy`).
 */
import { TerraformElement } from 'cdktf';
import type { Construct } from 'constructs';

export interface StateRemovalProps {
  /** Resource addresses (`libvirt_domain.kvm_a1_web_1`) to drop from state, leaving the objects alone. */
  readonly addresses: readonly string[];
}

export class StateRemoval extends TerraformElement {
  readonly addresses: readonly string[];

  constructor(scope: Construct, id: string, props: StateRemovalProps) {
    super(scope, id, 'removed');
    this.addresses = [...props.addresses];
  }

  override toTerraform(): { removed: Array<{ from: string; lifecycle: { destroy: false } }> } {
    return { removed: this.addresses.map((from) => ({ from, lifecycle: { destroy: false } })) };
  }
}
