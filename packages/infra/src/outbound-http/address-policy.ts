import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which destination addresses tenant-driven outbound requests may reach. Everything that is not a
 * public unicast address is refused: loopback, private (RFC 1918, ULA), carrier-grade NAT,
 * link-local (including the cloud metadata address 169.254.169.254), multicast, reserved and
 * documentation ranges. Ranges come from `ipaddr.js` (maintained registry of special-purpose
 * blocks) rather than a hand-kept list.
 *
 * IPv6 forms that embed an IPv4 address are judged by the IPv4 they embed: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`), and the
 * deprecated transition forms IPv4-compatible (`::a.b.c.d`), 6to4 (`2002:aabb:ccdd::/48`) and Teredo
 * (server and client). The deprecated forms are refused even around a public IPv4: nothing legitimate
 * uses them any more, and some stacks route them to the embedded address.
 */
export interface AddressPolicy {
  /** Allow 127.0.0.0/8 and ::1 (tests and local development only). */
  allowLoopback?: boolean;
  /**
   * Allow private networks (RFC 1918, 100.64.0.0/10, fc00::/7): for destinations the operator
   * allowlisted. Link-local (cloud metadata), multicast and reserved ranges stay refused.
   */
  allowPrivate?: boolean;
}

type Verdict = "public" | "loopback" | "private" | "blocked";

/** IPv4 ranges by verdict (`ipaddr.js` range names); anything else but `unicast` is blocked. */
const IPV4_VERDICT: Partial<Record<string, Verdict>> = {
  unicast: "public",
  loopback: "loopback",
  private: "private",
  carrierGradeNat: "private",
};
const IPV6_VERDICT: Partial<Record<string, Verdict>> = {
  unicast: "public",
  loopback: "loopback",
  uniqueLocal: "private",
};

/** An IPv6 address that carries an IPv4 address, and how. */
interface Embedding {
  form: string;
  ipv4: ipaddr.IPv4[];
  /** A deprecated transition form: refused whatever it embeds. */
  deprecated: boolean;
}

const ipv4From = (high: number, low: number) =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** The IPv4 address(es) an IPv6 address embeds, or undefined when it embeds none. */
function embeddedIpv4(address: ipaddr.IPv6): Embedding | undefined {
  const p = address.parts as [number, number, number, number, number, number, number, number];
  const range = address.range();
  if (range === "ipv4Mapped" || range === "rfc6145") {
    return { form: "IPv4-mapped", ipv4: [ipv4From(p[6], p[7])], deprecated: false };
  }
  if (range === "rfc6052") {
    // 64:ff9b::/96 carries the IPv4 in its last 32 bits; the local-use 64:ff9b:1::/48 may place it
    // anywhere (RFC 6052 prefix lengths), so it is refused as a whole below.
    if (p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0) {
      return { form: "NAT64", ipv4: [ipv4From(p[6], p[7])], deprecated: false };
    }
    return { form: "local-use NAT64", ipv4: [], deprecated: true };
  }
  if (range === "6to4") return { form: "6to4", ipv4: [ipv4From(p[1], p[2])], deprecated: true };
  if (range === "teredo") {
    // Server IPv4 in bits 32-63; client IPv4 in the last 32 bits, inverted.
    return {
      form: "Teredo",
      ipv4: [ipv4From(p[2], p[3]), ipv4From(p[6] ^ 0xffff, p[7] ^ 0xffff)],
      deprecated: true,
    };
  }
  // IPv4-compatible ::a.b.c.d (RFC 4291 2.5.5.1, deprecated): the first 96 bits zero, not :: or ::1.
  if (p.slice(0, 6).every((part) => part === 0) && (p[6] !== 0 || p[7] > 1)) {
    return { form: "IPv4-compatible", ipv4: [ipv4From(p[6], p[7])], deprecated: true };
  }
  return undefined;
}

/**
 * `::a.b.c.d` with its dotted tail as two hex groups: ipaddr.js reads a dotted tail as IPv4-mapped
 * whatever the prefix says (`::127.0.0.1` would come back as `::ffff:127.0.0.1`).
 */
function withHexTail(address: string): string {
  return address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)(%.*)?$/, (_all, a, b, c, d, zone = "") => {
    const group = (high: string, low: string) => ((Number(high) << 8) | Number(low)).toString(16);
    return `${group(a, b)}:${group(c, d)}${zone}`;
  });
}

function refusal(shown: string, verdict: Verdict): string {
  if (verdict === "loopback") return `${shown} is a loopback address`;
  if (verdict === "private") return `${shown} is a private address`;
  return `${shown} is a private, link-local, metadata or reserved address`;
}

function allowed(verdict: Verdict, policy: AddressPolicy): boolean {
  return (
    verdict === "public" ||
    (verdict === "loopback" && policy.allowLoopback === true) ||
    (verdict === "private" && policy.allowPrivate === true)
  );
}

/**
 * Why an address was refused, or `undefined` when it may be contacted.
 * @example
 * checkAddress("::127.0.0.1"); // "::7f00:1 embeds 127.0.0.1 (IPv4-compatible): 127.0.0.1 is a loopback address"
 * checkAddress("93.184.216.34"); // undefined
 */
export function checkAddress(address: string, policy: AddressPolicy = {}): string | undefined {
  // Only canonical forms count as addresses (as for connect()); "0x7f.1" is a name to resolve.
  if (isIP(address) === 0) return `"${address}" is not an IP address`;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") {
    const verdict = IPV4_VERDICT[parsed.range()] ?? "blocked";
    return allowed(verdict, policy) ? undefined : refusal(address, verdict);
  }
  const v6 = ipaddr.IPv6.parse(withHexTail(address));
  const embedding = embeddedIpv4(v6);
  if (embedding) {
    const shown = v6.toRFC5952String();
    for (const ipv4 of embedding.ipv4) {
      const verdict = IPV4_VERDICT[ipv4.range()] ?? "blocked";
      if (!allowed(verdict, policy)) {
        return `${shown} embeds ${ipv4.toString()} (${embedding.form}): ${refusal(ipv4.toString(), verdict)}`;
      }
    }
    if (!embedding.deprecated) return undefined;
    const embedded = embedding.ipv4.map((ipv4) => ipv4.toString()).join(" and ");
    return `${shown} is a deprecated ${embedding.form} address${embedded ? ` embedding ${embedded}` : ""} (refused whatever it embeds)`;
  }
  const verdict = IPV6_VERDICT[v6.range()] ?? "blocked";
  return allowed(verdict, policy) ? undefined : refusal(address, verdict);
}
