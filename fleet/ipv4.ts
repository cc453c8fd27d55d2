/** IPv4 addresses and CIDRs: recognizing them and the arithmetic on them (network, host bits). */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A dotted-quad IPv4 address, each octet 0–255 without leading zeros. */
export const IPV4_PATTERN = IPV4;

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** Explains what is wrong with an IPv4 CIDR such as `192.168.122.0/24`, or returns undefined. */
export function cidrProblem(value: string): string | undefined {
  const [address = '', prefix, ...rest] = value.split('/');
  if (prefix === undefined || rest.length > 0 || !IPV4.test(address) || !/^(3[0-2]|[12]?\d)$/.test(prefix)) {
    return `'${value}' is not an IPv4 CIDR; write the network and prefix length, e.g. '192.168.122.0/24'`;
  }
  const bits = Number(prefix);
  const network = bits === 0 ? 0 : (ipv4ToNumber(address) & (~0 << (32 - bits))) >>> 0;
  if (network !== ipv4ToNumber(address)) {
    return `'${value}' has host bits set; the network is '${numberToIpv4(network)}/${bits}'`;
  }
  return undefined;
}

/** `a.b.c.d` as an unsigned 32-bit number. */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

/** A 32-bit number (signed or not) as `a.b.c.d`. */
export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}
