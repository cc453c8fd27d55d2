/** One vocabulary: the zod enums (and so the JSON Schema) accept exactly the words of fleet/vocabulary.ts. */
import { describe, expect, it } from 'vitest';
import { fleetJsonSchema } from '../../fleet/json-schema';
import { cidrProblem, ipv4ToNumber, isIpv4, numberToIpv4 } from '../../fleet/ipv4';
import { HYPERVISORS, NETWORK_MODES, STORAGE_POOL_TYPES, VM_HYPERVISORS, WORKLOADS, XEN_GUEST_TYPES } from '../../fleet/vocabulary';

/** The `enum` of a property of a definition in the generated JSON Schema. */
function enumAt(schema: unknown, ...path: string[]): unknown {
  let node = schema as Record<string, unknown>;
  for (const key of path) node = node[key] as Record<string, unknown>;
  return node.enum;
}

describe('fleet vocabulary', () => {
  const schema = fleetJsonSchema() as { properties: Record<string, { items: { properties: Record<string, unknown> } }> };
  const item = (section: string): Record<string, unknown> => schema.properties[section]!.items.properties;

  it('feeds the schema enums', () => {
    expect(enumAt(item('hosts'), 'hypervisor')).toEqual([...HYPERVISORS]);
    expect(enumAt(item('vms'), 'workload')).toEqual([...WORKLOADS]);
    expect(enumAt(item('networks'), 'mode')).toEqual([...NETWORK_MODES]);
    expect(enumAt(item('pools'), 'type')).toEqual([...STORAGE_POOL_TYPES]);
    expect(enumAt(item('vms'), 'guestType')).toEqual([...XEN_GUEST_TYPES]);
  });

  it('lets a VM ask for any hypervisor or auto', () => {
    expect(VM_HYPERVISORS).toEqual(['kvm', 'xen', 'auto']);
  });
});

describe('IPv4 arithmetic', () => {
  it('round-trips addresses through numbers', () => {
    expect(ipv4ToNumber('192.168.122.1')).toBe(0xc0a87a01);
    expect(numberToIpv4(0xc0a87a01)).toBe('192.168.122.1');
    expect(numberToIpv4(-1)).toBe('255.255.255.255');
  });

  it('recognizes addresses and explains bad CIDRs', () => {
    expect(isIpv4('10.0.0.1')).toBe(true);
    expect(isIpv4('10.0.0.01')).toBe(false);
    expect(cidrProblem('10.0.0.0/8')).toBeUndefined();
    expect(cidrProblem('0.0.0.0/0')).toBeUndefined();
    expect(cidrProblem('10.0.0.1/8')).toBe("'10.0.0.1/8' has host bits set; the network is '10.0.0.0/8'");
    expect(cidrProblem('10.0.0.0/33')).toMatch(/is not an IPv4 CIDR/);
  });
});
