/**
 * `<network>` XML (virsh net-dumpxml) → the fleet's network. The inverse of constructs/guest-network.ts:
 * forward mode, bridge, domain, MTU and one IPv4 `<ip>` with its DHCP range; the fleet derives the gateway
 * (the first usable address), so another gateway is reported as approximated.
 */
import { ipv4ToNumber, numberToIpv4 } from '../fleet/ipv4';
import type { NetworkInput } from '../fleet/schema';
import { all, Consumption, first, type NoteSink } from './import-support';
import type { XmlNode } from './xml-read';

type NetworkMode = NetworkInput['mode'];

/** libvirt forward modes the fleet has a mode for (formatnetwork "Connectivity"); no `<forward>` is isolated. */
const MODE_OF_FORWARD: Readonly<Record<string, NetworkMode>> = { nat: 'nat', route: 'route', open: 'open', bridge: 'bridge' };

/** Prefix length of a dotted netmask; undefined when the mask is not contiguous. */
function prefixOf(netmask: string): number | undefined {
  const bits = ipv4ToNumber(netmask).toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

/** A network from its XML; undefined (with a note) when its forward mode has no fleet mode. */
export function importNetwork(root: XmlNode, name: string, sink: NoteSink): { network: NetworkInput; uuid?: string } | undefined {
  const used = new Consumption();
  used.use(root);
  used.use(first(root, 'name'), '#text');
  const uuid = first(root, 'uuid')?.text?.trim();
  used.use(first(root, 'uuid'), '#text');
  const forward = first(root, 'forward');
  const mode = forward ? MODE_OF_FORWARD[forward.attributes.mode ?? 'nat'] : 'isolated';
  if (!mode) {
    sink.dropped(forward?.line ?? root.line, '/network/forward@mode', `forward mode '${forward?.attributes.mode ?? ''}' has no fleet mode (nat, route, open, bridge, isolated); the network is left out`);
    return undefined;
  }
  used.use(forward, 'mode');
  // NAT's address and port ranges are libvirt's defaults when libvirt reports them back.
  const bridge = first(root, 'bridge');
  used.use(bridge, 'name');
  // stp and delay are what libvirt fills in for every bridge it creates (network_conf.c defaults).
  if (bridge?.attributes.stp === 'on') used.use(bridge, 'stp');
  if (bridge?.attributes.delay === '0') used.use(bridge, 'delay');
  const domain = first(root, 'domain')?.attributes.name;
  used.use(first(root, 'domain'), 'name');
  const mtuText = first(root, 'mtu')?.attributes.size;
  const mtu = mtuText && /^\d+$/.test(mtuText) ? Number(mtuText) : undefined;
  if (mtu !== undefined) used.use(first(root, 'mtu'), 'size');
  // libvirt generates the bridge's MAC address when it defines the network.
  used.use(first(root, 'mac'), 'address');

  const ipv4 = all(root, 'ip').filter((ip) => (ip.attributes.family ?? 'ipv4') === 'ipv4');
  let cidr: string | undefined;
  let dhcp: NetworkInput['dhcp'];
  const ip = ipv4[0];
  if (ip?.attributes.address && (ip.attributes.netmask || ip.attributes.prefix)) {
    const prefix = ip.attributes.prefix ? Number(ip.attributes.prefix) : prefixOf(ip.attributes.netmask!);
    if (prefix !== undefined && prefix >= 1 && prefix <= 30) {
      const mask = (0xffffffff << (32 - prefix)) >>> 0;
      const base = (ipv4ToNumber(ip.attributes.address) & mask) >>> 0;
      cidr = `${numberToIpv4(base)}/${prefix}`;
      used.use(ip, 'address', 'netmask', 'prefix');
      if (ip.attributes.address !== numberToIpv4(base + 1)) {
        sink.approximated(ip.line, '/network/ip@address', `gateway ${ip.attributes.address}: the fleet gives a network's host side the first usable address, ${numberToIpv4(base + 1)}`);
      }
      const range = first(first(ip, 'dhcp'), 'range');
      if (range?.attributes.start && range.attributes.end) {
        dhcp = { start: range.attributes.start, end: range.attributes.end };
        used.use(first(ip, 'dhcp'));
        used.use(range, 'start', 'end');
      }
    }
  }
  const network: NetworkInput = {
    name,
    mode,
    ...(bridge?.attributes.name ? { bridge: bridge.attributes.name } : {}),
    ...(cidr && mode !== 'bridge' ? { cidr } : {}),
    ...(dhcp && mode !== 'bridge' ? { dhcp } : {}),
    ...(domain ? { domain } : {}),
    ...(mtu !== undefined && mtu >= 68 && mtu <= 65535 ? { mtu } : {}),
  };
  used.reportDropped(root, '/network', sink);
  return { network, ...(uuid ? { uuid } : {}) };
}
