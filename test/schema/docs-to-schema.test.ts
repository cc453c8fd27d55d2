import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docToSchema } from '../../schema/docs-to-schema';
import { schemaFromDocs } from '../../schema/import-docs';
import { schemaPath } from '../../schema/snapshot';
import { LIBVIRT_PROVIDER_KEY, type ProviderSchemaFile } from '../../schema/provider-schema';
import { sharedPath } from '../support/shared';

const DOCS = sharedPath('reference/terraform-provider-libvirt-v0.9.7/docs', 'the schema snapshot freshness and coverage tests are') ?? '';
const haveDocs = DOCS !== '';

const SAMPLE = `---
page_title: "libvirt_thing Resource"
---

# libvirt_thing (Resource)

A thing.

## Schema

### Required

- \`name\` (String) The name.

### Optional

- \`size\` (Number) Size in bytes
that continues here.
- \`tags\` (List of String) Tags.
- \`target\` (Attributes) Where it goes. (see [below for nested schema](#nestedatt--target))
- \`disks\` (Attributes List) Disks. (see [below for nested schema](#nestedatt--disks))

### Read-Only

- \`id\` (String) Identifier.

<a id="nestedatt--target"></a>
### Nested Schema for \`target\`

Optional:

- \`path\` (String) Path.
- \`secret\` (String, Sensitive) Secret.

<a id="nestedatt--disks"></a>
### Nested Schema for \`disks\`

Required:

- \`bus\` (String) Bus.

Read-Only:

- \`key\` (String) Key.
`;

describe('docToSchema', () => {
  const schema = docToSchema(SAMPLE);
  const attributes = schema.block.attributes!;

  it('keeps names, types and Required / Optional / Read-Only', () => {
    expect(attributes.name).toEqual({ type: 'string', required: true, description: 'The name.', description_kind: 'markdown' });
    expect(attributes.size).toMatchObject({ type: 'number', optional: true, description: 'Size in bytes\nthat continues here.' });
    expect(attributes.tags).toMatchObject({ type: ['list', 'string'], optional: true });
    expect(attributes.id).toMatchObject({ type: 'string', computed: true });
    expect(schema.block.description).toBe('A thing.');
  });

  it('turns (Attributes) into single and (Attributes List) into list nested types', () => {
    expect(attributes.target!.nested_type!.nesting_mode).toBe('single');
    expect(attributes.target!.nested_type!.attributes.secret).toMatchObject({ type: 'string', optional: true, sensitive: true });
    expect(attributes.disks!.nested_type!.nesting_mode).toBe('list');
    expect(attributes.disks!.nested_type!.attributes.bus).toMatchObject({ required: true });
    expect(attributes.disks!.nested_type!.attributes.key).toMatchObject({ computed: true });
  });

  it('drops the "see below" link from descriptions', () => {
    expect(attributes.target!.description).toBe('Where it goes.');
  });

  it('rejects a type it does not know instead of guessing', () => {
    expect(() => docToSchema('## Schema\n\n### Optional\n\n- `x` (Tuple) X.\n')).toThrow("unsupported attribute type 'Tuple'");
  });
});

describe('schema/libvirt-0.9.7.json', () => {
  const entry = (JSON.parse(readFileSync(schemaPath(), 'utf8')) as ProviderSchemaFile).provider_schemas[LIBVIRT_PROVIDER_KEY];

  it.skipIf(!haveDocs)('is what `npm run schema:import` makes from the v0.9.7 docs (not stale)', () => {
    expect(readFileSync(schemaPath(), 'utf8')).toBe(`${JSON.stringify(schemaFromDocs(DOCS), null, 2)}\n`);
  });

  it('covers every resource, data source and the provider configuration', () => {
    expect(Object.keys(entry!.resource_schemas).sort()).toEqual([
      'libvirt_cloudinit_disk', 'libvirt_combustion', 'libvirt_domain', 'libvirt_ignition', 'libvirt_network', 'libvirt_pool', 'libvirt_volume',
    ]);
    expect(Object.keys(entry!.data_source_schemas).sort()).toEqual([
      'libvirt_domain_interface_addresses', 'libvirt_node_device_info', 'libvirt_node_devices', 'libvirt_node_info',
    ]);
    expect(entry!.provider.block.attributes!.uri).toMatchObject({ type: 'string', optional: true });
  });

  it('applies the documented drift between the v0.9.7 docs and code', () => {
    const domain = entry!.resource_schemas.libvirt_domain!.block.attributes!;
    const destroy = domain.destroy!.nested_type!.attributes;
    expect(destroy.timeout).toBeUndefined();
    expect(destroy.shutdown!.nested_type!.attributes.timeout).toMatchObject({ type: 'number', optional: true });
    expect(domain.update!.nested_type!.attributes.shutdown!.nested_type!.attributes.timeout).toBeDefined();
    for (const name of ['qemu_commandline', 'qemu_capabilities', 'qemu_override', 'qemu_deprecation', 'lxc_namespace', 'bhyve_commandline', 'vmware_data_center_path', 'xen_commandline']) {
      expect(domain[name], name).toBeDefined();
    }
    const pool = entry!.resource_schemas.libvirt_pool!.block.attributes!;
    expect(Object.keys(pool.create!.nested_type!.attributes).sort()).toEqual(['autostart', 'build', 'start']);
    expect(Object.keys(pool.destroy!.nested_type!.attributes)).toEqual(['delete']);
    const tags = domain.devices!.nested_type!.attributes.interfaces!.nested_type!.attributes.vlan!.nested_type!.attributes.tags!;
    expect(tags.nested_type!.attributes.id).toMatchObject({ type: 'number', required: true });
  });

  it('keeps top-level read-only attributes computed but makes nested id/uuid/key settable', () => {
    const domain = entry!.resource_schemas.libvirt_domain!.block.attributes!;
    expect(domain.id).toMatchObject({ computed: true });
    expect(domain.id!.optional).toBeUndefined();
    const secret = entry!.resource_schemas.libvirt_volume!.block.attributes!.target!.nested_type!.attributes.encryption!.nested_type!.attributes.secret!;
    expect(secret.nested_type!.attributes.uuid).toMatchObject({ computed: true, optional: true });
  });
});
