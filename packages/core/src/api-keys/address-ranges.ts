import ipaddr from "ipaddr.js";
import { z } from "zod";

/**
 * One client address range in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`), or a single
 * address (taken as /32 or /128). Normalised to the network address, so `10.1.2.3/8` is stored as
 * `10.0.0.0/8`.
 *
 * @example
 * addressRangeSchema.parse("192.168.1.7/24"); // "192.168.1.0/24"
 */
export const addressRangeSchema = z
  .string()
  .trim()
  .max(64)
  .transform((value, ctx) => {
    const range = parseRange(value);
    if (!range) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not an IP address or CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/32)`,
      });
      return z.NEVER;
    }
    const [address, bits] = range;
    return `${networkOf(address, bits)}/${bits}`;
  });

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseRange(value: string): Range | null {
  try {
    if (value.includes("/")) return ipaddr.parseCIDR(value);
    const address = ipaddr.parse(value);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  } catch {
    return null;
  }
}

function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string {
  return address.kind() === "ipv4"
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString();
}

/**
 * Whether `clientAddress` lies in one of `ranges` (CIDR strings as stored). IPv4-mapped IPv6
 * addresses (`::ffff:10.0.0.1`, as dual-stack sockets report IPv4 peers) count as their IPv4
 * address. An empty list allows every address; an unparsable client address matches nothing.
 *
 * @example
 * addressInRanges("10.1.2.3", ["10.0.0.0/8"]); // true
 * addressInRanges("::ffff:10.1.2.3", ["10.0.0.0/8"]); // true
 */
export function addressInRanges(clientAddress: string, ranges: readonly string[]): boolean {
  if (ranges.length === 0) return true;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(clientAddress);
  } catch {
    return false;
  }
  return ranges.some((range) => {
    const parsed = parseRange(range);
    if (!parsed || parsed[0].kind() !== address.kind()) return false;
    return address.match(parsed as [never, number]);
  });
}
