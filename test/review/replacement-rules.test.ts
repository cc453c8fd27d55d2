/** The replacement table must name attributes that exist in the provider schema snapshot. */
import { describe, expect, it } from 'vitest';
import { libvirtSchema } from '../../schema/snapshot';
import type { SchemaAttribute } from '../../schema/provider-schema';
import { attributeEffect, REPLACEMENT_RULES, worstEffect } from '../../review/replacement-rules';
import { computedOnlyAttributes } from '../../review/resource-diff';

function schemaHas(type: string, path: string): boolean {
  let attributes: Record<string, SchemaAttribute> | undefined = libvirtSchema().resource_schemas[type]?.block.attributes;
  for (const segment of path.split('.')) {
    const attribute: SchemaAttribute | undefined = attributes?.[segment];
    if (!attribute) return false;
    attributes = attribute.nested_type?.attributes;
  }
  return true;
}

describe('replacement rules', () => {
  it.each(REPLACEMENT_RULES.map((r) => [`${r.type}.${r.path}`, r] as const))('%s exists in the schema snapshot', (_, rule) => {
    expect(schemaHas(rule.type, rule.path)).toBe(true);
  });

  it('has one rule per attribute', () => {
    const keys = REPLACEMENT_RULES.map((r) => `${r.type} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('classifies by the longest matching path', () => {
    expect(attributeEffect('libvirt_domain', 'name', true).effect).toBe('replace');
    expect(attributeEffect('libvirt_domain', 'devices.disks.target.bus', true).why).toMatch(/new disk controller/);
    expect(attributeEffect('libvirt_domain', 'devices.disks.driver.cache', true).why).toBe('disks attached, detached or changed');
    expect(attributeEffect('libvirt_volume', 'capacity', true).effect).toBe('unsupported');
    expect(attributeEffect('libvirt_volume', 'pool', true).effect).toBe('replace');
    expect(attributeEffect('libvirt_cloudinit_disk', 'user_data', true).effect).toBe('replace');
  });

  it('turns a restart into an update when the domain is not running', () => {
    expect(attributeEffect('libvirt_domain', 'memory', true).effect).toBe('restart');
    expect(attributeEffect('libvirt_domain', 'memory', false).effect).toBe('update');
  });

  it('orders effects by disruption', () => {
    expect(worstEffect('update', 'restart')).toBe('restart');
    expect(worstEffect('replace', 'unsupported')).toBe('replace');
  });

  it('reads computed-only attributes from the snapshot', () => {
    expect([...computedOnlyAttributes('libvirt_volume')].sort()).toEqual(expect.arrayContaining(['id', 'key', 'path']));
    expect(computedOnlyAttributes('libvirt_volume').has('capacity')).toBe(false);
  });
});
