import { BlockList, isIP } from "node:net";

/**
 * Which destination addresses tenant-driven outbound requests may reach. Everything that is not a
 * public unicast address is refused: loopback, private (RFC 1918, ULA), carrier-grade NAT,
 * link-local (including the cloud metadata address 169.254.169.254), multicast, reserved and
 * documentation ranges, and IPv4-mapped/NAT64 forms of those.
 */
const blocked = new BlockList();
const loopback = new BlockList();
/** Private networks (RFC 1918, carrier-grade NAT, ULA): a subset of `blocked` an allowlist may open. */
const privateNetworks = new BlockList();

for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}
for (const [network, prefix] of [
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  privateNetworks.addSubnet(network, prefix, "ipv4");
}
privateNetworks.addSubnet("fc00::", 7, "ipv6");
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Options of {@link checkAddress}. */
export interface AddressPolicy {
  /** Allow 127.0.0.0/8 and ::1 (tests and local development only). */
  allowLoopback?: boolean;
  /**
   * Allow private networks (RFC 1918, 100.64.0.0/10, fc00::/7): for destinations the operator
   * allowlisted. Link-local (cloud metadata), multicast and reserved ranges stay refused.
   */
  allowPrivate?: boolean;
}

/** Why an address was refused, or `undefined` when it may be contacted. */
export function checkAddress(address: string, policy: AddressPolicy = {}): string | undefined {
  const family = isIP(address);
  if (family === 0) return `"${address}" is not an IP address`;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return checkAddress(mapped[1]!, policy);
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  if (loopback.check(address, type))
    return policy.allowLoopback ? undefined : `${address} is a loopback address`;
  if (privateNetworks.check(address, type)) {
    return policy.allowPrivate ? undefined : `${address} is a private address`;
  }
  if (blocked.check(address, type))
    return `${address} is a private, link-local, metadata or reserved address`;
  return undefined;
}
