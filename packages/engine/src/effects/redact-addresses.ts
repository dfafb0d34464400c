/** IPv4 addresses, optionally with a port (`10.0.0.5`, `169.254.169.254:80`). */
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g;
/**
 * IPv6 addresses, bracketed or not, optionally with a port (`::1`, `[fe80::1]:8080`,
 * `::ffff:10.0.0.1`): hex groups joined by at least two colons.
 */
const IPV6 = /\[?(?:[0-9a-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4})\]?(?::\d{1,5})?/gi;

/**
 * Replaces IP addresses in an error message with "an address", so what a flow reads in
 * `sys.lastError` says what went wrong ("ECONNREFUSED", "is a private address", the host name
 * the flow used) without revealing how the platform resolved it.
 *
 * @example
 * redactAddresses("connect ECONNREFUSED 10.0.0.5:8080"); // "connect ECONNREFUSED [address]"
 */
export function redactAddresses(message: string): string {
  return message
    .replace(IPV6, (found) => (/[0-9a-f]/i.test(found) || found.includes("::") ? "[address]" : found))
    .replace(IPV4, "[address]");
}
