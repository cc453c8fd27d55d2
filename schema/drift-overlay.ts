/**
 * The known drift between the provider's v0.9.7 docs (regenerated 2025-11-30) and its v0.9.7 code,
 * as listed in the README of the docs copy. Applied after conversion so the snapshot matches what the
 * provider really accepts. Each entry says what it corrects.
 */
import type { ProviderSchemaEntry, SchemaAttribute } from './provider-schema';

const optionalNumber = (description: string): SchemaAttribute => ({ type: 'number', optional: true, description, description_kind: 'markdown' });
const optionalBool = (description: string): SchemaAttribute => ({ type: 'bool', optional: true, description, description_kind: 'markdown' });
const optionalString = (description: string): SchemaAttribute => ({ type: 'string', optional: true, description, description_kind: 'markdown' });
const single = (attributes: Record<string, SchemaAttribute>, description: string): SchemaAttribute => ({
  nested_type: { attributes, nesting_mode: 'single' },
  optional: true,
  description,
  description_kind: 'markdown',
});
const list = (attributes: Record<string, SchemaAttribute>, description: string): SchemaAttribute => ({
  nested_type: { attributes, nesting_mode: 'list' },
  optional: true,
  description,
  description_kind: 'markdown',
});

/** `<args><arg value=…/>` + `<env name= value=>` command-line passthrough, as libvirtxml models it. */
const commandline = (what: string): SchemaAttribute =>
  single(
    {
      args: list({ value: { type: 'string', required: true } }, `${what} arguments`),
      envs: list({ name: { type: 'string', required: true }, value: optionalString('Value') }, `${what} environment`),
    },
    `${what} command-line passthrough (drift overlay: in code, absent from docs)`,
  );

/** Names of nested attributes the docs mark read-only that the code lets users set. */
const SETTABLE_NESTED_IDS = new Set(['id', 'uuid', 'key']);

function makeNestedIdsSettable(attributes: Record<string, SchemaAttribute>, depth: number): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    if (depth > 0 && SETTABLE_NESTED_IDS.has(name) && attribute.computed && !attribute.nested_type) {
      attribute.optional = true;
    }
    if (attribute.nested_type) makeNestedIdsSettable(attribute.nested_type.attributes, depth + 1);
  }
}

function nested(attribute: SchemaAttribute | undefined, path: string): Record<string, SchemaAttribute> {
  if (!attribute?.nested_type) throw new Error(`drift overlay: ${path} is not a nested attribute in the docs`);
  return attribute.nested_type.attributes;
}

export function applyDriftOverlay(entry: ProviderSchemaEntry): void {
  const domain = entry.resource_schemas.libvirt_domain?.block.attributes;
  const pool = entry.resource_schemas.libvirt_pool?.block.attributes;
  if (!domain || !pool) throw new Error('drift overlay: libvirt_domain and libvirt_pool must be in the docs');

  // libvirt_domain: `update.shutdown.timeout` added; `destroy.timeout` moved to `destroy.shutdown.timeout`.
  domain.update = single(
    { shutdown: single({ timeout: optionalNumber('Seconds to wait for a graceful shutdown before an update that needs one.') }, 'Shutdown behaviour on update') },
    'Update behaviour when Terraform changes the domain.',
  );
  const destroy = nested(domain.destroy, 'libvirt_domain.destroy');
  delete destroy.timeout;
  destroy.shutdown = single({ timeout: optionalNumber('Seconds to wait for a graceful shutdown before destroying.') }, 'Shutdown behaviour on destroy');

  // libvirt_pool: lifecycle operation controls.
  pool.create = single(
    { build: optionalBool('Build the pool (virStoragePoolBuild) after defining it.'), start: optionalBool('Start the pool after defining it.'), autostart: optionalBool('Mark the pool autostart.') },
    'Operations run when the pool is created.',
  );
  pool.destroy = single({ delete: optionalBool('Delete the pool’s underlying storage when destroying it.') }, 'Operations run when the pool is destroyed.');

  // Nested id / uuid / key: settable in code (the computed rule applies to top-level fields only);
  // a VLAN tag's `id` is required there.
  for (const schema of Object.values(entry.resource_schemas)) makeNestedIdsSettable(schema.block.attributes ?? {}, 0);
  const vlanTag = nested(nested(nested(nested(domain.devices, 'devices').interfaces, 'devices.interfaces').vlan, 'devices.interfaces.vlan').tags, 'devices.interfaces.vlan.tags');
  vlanTag.id = { type: 'number', required: true, description: 'VLAN tag.', description_kind: 'markdown' };

  // Top-level domain attributes present in the code but absent from the docs.
  domain.qemu_commandline = commandline('QEMU');
  domain.qemu_capabilities = single(
    { add: list({ capability: { type: 'string', required: true } }, 'Capabilities to add'), del: list({ capability: { type: 'string', required: true } }, 'Capabilities to remove') },
    'QEMU capability overrides (drift overlay: in code, absent from docs)',
  );
  domain.qemu_override = single(
    { devices: list({ alias: { type: 'string', required: true } }, 'Device overrides by alias') },
    'QEMU device property overrides (drift overlay: in code, absent from docs)',
  );
  domain.qemu_deprecation = single({ behavior: optionalString('QEMU deprecation behaviour: none, omit, reject, crash.') }, 'QEMU deprecation behaviour (drift overlay)');
  domain.lxc_namespace = single(
    { share_net: optionalString('Network namespace to share'), share_ipc: optionalString('IPC namespace to share'), share_uts: optionalString('UTS namespace to share') },
    'LXC namespace sharing (drift overlay: in code, absent from docs)',
  );
  domain.bhyve_commandline = commandline('bhyve');
  domain.vmware_data_center_path = optionalString('VMware data center path (drift overlay: in code, absent from docs)');
  domain.xen_commandline = commandline('Xen');
}
