/**
 * A fleet network on one host: a `libvirt_network` defined in that host's libvirt. Every host that runs a
 * guest on the network gets its own copy (each host is its own libvirt), addressed `<host>_net_<name>`.
 */
import { Construct } from 'constructs';
import type { Network as NetworkSpec } from '../fleet/model';
import { ipv4ToNumber, numberToIpv4 } from '../fleet/ipv4';
import { MAX_NETWORK_PREFIX, MIN_NETWORK_PREFIX, needsCidr } from '../fleet/synthesis-checks';
import { Network, type LibvirtProvider, type NetworkConfig } from './libvirt-bindings';
import { checkProps, type PropCheck } from './prop-checks';
import { named } from './terraform-id';
import { HOST_ADDRESS_PARTS } from '../fleet/terraform-names';

export interface GuestNetworkProps {
  /** The network as the fleet declares it. */
  readonly network: NetworkSpec;
  /** The provider of the host the network is defined on. */
  readonly provider: LibvirtProvider;
  /** Name of that host; part of the Terraform address. */
  readonly hostName: string;
  /** Start the network when the host boots. @default true */
  readonly autostart?: boolean;
}

/** IPv4 network of a CIDR, split into what libvirt's `<ip>` element wants. */
export interface Ipv4Layout {
  /** Address libvirt gives the host side of the network (the first usable address). */
  readonly gateway: string;
  readonly netmask: string;
  /** DHCP range: second usable address to the last usable one. */
  readonly dhcpStart: string;
  readonly dhcpEnd: string;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Gateway, netmask and default DHCP range of an IPv4 CIDR; undefined when `cidr` is not one. */
export function ipv4Layout(cidr: string): Ipv4Layout | undefined {
  const match = CIDR.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix < MIN_NETWORK_PREFIX || prefix > MAX_NETWORK_PREFIX) return undefined;
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  const base = ipv4ToNumber(octets.join('.')) & mask;
  const broadcast = (base | (~mask >>> 0)) >>> 0;
  return { gateway: numberToIpv4(base + 1), netmask: numberToIpv4(mask), dhcpStart: numberToIpv4(base + 2), dhcpEnd: numberToIpv4(broadcast - 1) };
}

/** libvirt forward mode per fleet mode; isolated networks have no `<forward>` at all. */
const FORWARD_MODE: Record<NetworkSpec['mode'], string | undefined> = {
  nat: 'nat', route: 'route', open: 'open', bridge: 'bridge', isolated: undefined,
};

const CHECKS: readonly PropCheck<GuestNetworkProps>[] = [
  {
    fails: (p) => p.network.mode === 'bridge' && !p.network.bridge,
    message: (p) => `network '${p.network.name}' has mode bridge but no bridge; set bridge to the host bridge (e.g. br0)`,
  },
  {
    fails: (p) => needsCidr(p.network) && !p.network.cidr,
    message: (p) => `network '${p.network.name}' has mode ${p.network.mode} but no cidr; set cidr (e.g. 192.168.122.0/24)`,
  },
  {
    fails: (p) => p.network.cidr !== undefined && ipv4Layout(p.network.cidr) === undefined,
    message: (p) =>
      `network '${p.network.name}' has cidr '${p.network.cidr}'; expected an IPv4 network a.b.c.d/n with n from ${MIN_NETWORK_PREFIX} to ${MAX_NETWORK_PREFIX}`,
  },
];

/**
 * What provider v0.9.7 does not read back after importing a network: Read converts the XML with the state
 * as the plan (internal/provider/network_resource.go, Read: "use current state as plan to preserve user
 * intent"), and after ImportState the state holds only the id, so these nested attributes stay null.
 * Update applies only `autostart` (network_resource.go, Update), so ignoring their changes on an adopted
 * network loses nothing the provider would do.
 */
const NOT_READ_AFTER_IMPORT = { forward: 'forward', bridge: 'bridge', domain: 'domain', mtu: 'mtu', ips: 'ips' } as const;

export class GuestNetwork extends Construct {
  readonly network: NetworkSpec;
  readonly resource: Network;
  /**
   * The network name as a reference, so domains using it depend on it. Made once: every reading of the
   * binding's attribute makes a new token in cdktf's process-wide registry, and every NIC on it names it.
   */
  readonly name: string;
  readonly #notReadAfterImport: readonly string[];

  constructor(scope: Construct, id: string, props: GuestNetworkProps) {
    super(scope, id);
    checkProps(this.node.path, props, CHECKS);
    const spec = props.network;
    this.network = spec;
    const forwardMode = FORWARD_MODE[spec.mode];
    const layout = spec.cidr ? ipv4Layout(spec.cidr) : undefined;
    const config: NetworkConfig = {
      provider: props.provider,
      name: spec.name,
      autostart: props.autostart ?? true,
      ...(forwardMode ? { forward: { mode: forwardMode } } : {}),
      ...(spec.bridge ? { bridge: { name: spec.bridge } } : {}),
      ...(spec.domain ? { domain: { name: spec.domain } } : {}),
      ...(spec.mtu ? { mtu: { size: spec.mtu } } : {}),
      ...(layout && spec.mode !== 'bridge'
        ? {
            ips: [{
              address: layout.gateway,
              netmask: layout.netmask,
              dhcp: { ranges: [{ start: spec.dhcp?.start ?? layout.dhcpStart, end: spec.dhcp?.end ?? layout.dhcpEnd }] },
            }],
          }
        : {}),
    };
    this.resource = named(new Network(this, 'network', config), props.hostName, ...HOST_ADDRESS_PARTS.network(spec.name));
    this.name = this.resource.name;
    this.#notReadAfterImport = Object.entries(NOT_READ_AFTER_IMPORT).flatMap(([key, attribute]) => (key in config ? [attribute] : []));
  }

  /**
   * Adopts the existing network `uuid` (a Terraform `import` block), ignoring changes to the attributes
   * the provider does not read after import (NOT_READ_AFTER_IMPORT), so the first plan changes nothing.
   * Returns the ignored attributes.
   */
  adopt(uuid: string, provider: LibvirtProvider): string[] {
    this.resource.importFrom(uuid, provider);
    const ignored = [...this.#notReadAfterImport];
    if (ignored.length > 0) this.resource.lifecycle = { ...this.resource.lifecycle, ignoreChanges: ignored };
    return ignored;
  }
}
