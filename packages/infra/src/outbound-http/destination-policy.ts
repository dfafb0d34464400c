import { ADDRCONFIG } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { z } from "zod";
import { checkAddress } from "./address-policy";
import { OutboundHttpError } from "./outbound-http-error";

/** Environment variable holding the operator's allowlist (comma- or space-separated entries). */
export const ALLOWED_HOSTS_ENV = "PARLEY_OUTBOUND_ALLOWED_HOSTS";

/**
 * One operator allowlist entry: `host` (any port), `host:port`, `[v6]:port`, or an address range
 * `10.0.0.0/8` / `fd00::/8`.
 */
export const allowedHostEntrySchema = z
  .string()
  .trim()
  .min(1)
  .refine((entry) => parseEntry(entry) !== undefined, {
    error: "an allowed host is `host`, `host:port`, `[ipv6]:port` or an address range like `10.0.0.0/8`",
  });

/** Name resolution: every address a hostname has. */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

/** The system resolver (getaddrinfo), every answer in the resolver's order. */
export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true, hints: ADDRCONFIG })).map((a) => a.address);

type Entry =
  | { kind: "host"; host: string; port?: number }
  | { kind: "range"; network: string; prefix: number };

function parseEntry(raw: string): Entry | undefined {
  const entry = raw.trim().toLowerCase();
  if (entry.includes("/")) {
    const [network = "", prefixText = ""] = entry.split("/");
    const family = isIP(network);
    const prefix = Number(prefixText);
    if (family === 0 || !/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) return undefined;
    return { kind: "range", network, prefix };
  }
  if (isIP(entry) === 6) return { kind: "host", host: entry };
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) {
    if (isIP(bracketed[1] ?? "") !== 6) return undefined;
    return withPort(bracketed[1] ?? "", bracketed[2]);
  }
  const plain = /^([a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(entry);
  return plain ? withPort(plain[1] ?? "", plain[2]) : undefined;
}

function withPort(host: string, port: string | undefined): Entry | undefined {
  if (port === undefined) return { kind: "host", host };
  const number = Number(port);
  return number >= 1 && number <= 65_535 ? { kind: "host", host, port: number } : undefined;
}

/** Entries of {@link ALLOWED_HOSTS_ENV} in `env` (invalid entries fail loudly: an operator typo must not pass silently). */
export function allowedHostsFromEnv(env: Record<string, string | undefined>): string[] {
  const entries = (env[ALLOWED_HOSTS_ENV] ?? "").split(/[\s,]+/).filter((entry) => entry !== "");
  return z.array(allowedHostEntrySchema).parse(entries);
}

/** Which destinations outbound requests may reach (see {@link createDestinationCheck}). */
export interface DestinationPolicy {
  /** Allow loopback addresses (tests and local development). */
  allowLoopback: boolean;
  /** The operator's allowlist: these hosts may be private or loopback; ranges open those addresses. */
  allowedHosts: readonly string[];
  resolve?: Resolver;
}

/**
 * Checks a destination and returns the addresses a connection may use (all of them checked):
 * `hostname` is resolved once, every answer must be public (or allowed), and the caller connects to
 * exactly these addresses, never to a second lookup's (no DNS rebinding).
 * @throws OutboundHttpError `BLOCKED_DESTINATION` or `DNS_FAILED`
 */
export type DestinationCheck = (hostname: string, port: number) => Promise<string[]>;

/** Builds the {@link DestinationCheck} of a policy. */
export function createDestinationCheck(policy: DestinationPolicy): DestinationCheck {
  const resolve = policy.resolve ?? systemResolver;
  const hosts = new Map<string, Set<number> | "any">();
  const ranges = new BlockList();
  for (const raw of policy.allowedHosts) {
    const entry = parseEntry(raw);
    if (!entry) throw new OutboundHttpError("INVALID_URL", `"${raw}" is not a valid allowed host`);
    if (entry.kind === "range") {
      ranges.addSubnet(entry.network, entry.prefix, isIP(entry.network) === 4 ? "ipv4" : "ipv6");
    } else if (entry.port === undefined) hosts.set(entry.host, "any");
    else {
      const ports = hosts.get(entry.host);
      if (ports !== "any") hosts.set(entry.host, (ports ?? new Set()).add(entry.port));
    }
  }
  const inRange = (address: string) => {
    const family = isIP(address);
    return family !== 0 && ranges.check(address, family === 4 ? "ipv4" : "ipv6");
  };

  return async (hostname, port) => {
    const bare = (hostname.startsWith("[") ? hostname.slice(1, -1) : hostname).toLowerCase();
    const ports = hosts.get(bare);
    const listed = ports === "any" || (ports?.has(port) ?? false);
    let addresses: readonly string[];
    if (isIP(bare)) addresses = [bare];
    else {
      try {
        addresses = await resolve(bare);
      } catch (error) {
        throw new OutboundHttpError("DNS_FAILED", `could not resolve ${bare}`, { cause: error });
      }
    }
    if (addresses.length === 0) throw new OutboundHttpError("DNS_FAILED", `${bare} has no address`);
    for (const address of addresses) {
      const problem = checkAddress(address, {
        allowLoopback: policy.allowLoopback || listed,
        allowPrivate: listed,
      });
      if (problem && !inRange(address)) {
        throw new OutboundHttpError(
          "BLOCKED_DESTINATION",
          `refused to contact ${bare}: ${problem} (only public addresses may be reached; an operator can allow a host with ${ALLOWED_HOSTS_ENV})`,
        );
      }
    }
    return [...addresses];
  };
}

/** Parses an outbound URL: http(s) only, no embedded credentials. @throws OutboundHttpError `INVALID_URL` */
export function parseOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundHttpError("INVALID_URL", `"${raw}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundHttpError("INVALID_URL", `only http and https URLs are allowed, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new OutboundHttpError("INVALID_URL", "URLs with embedded credentials are not allowed");
  }
  return url;
}

/** The port a URL connects to (its explicit port, else the scheme's). */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}
