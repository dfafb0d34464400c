import type { IncomingMessage } from "node:http";
import proxyAddr from "@fastify/proxy-addr";
import { z } from "zod";

/**
 * The reverse proxies whose `X-Forwarded-For`/`-Host`/`-Proto` headers are believed (env
 * `TRUSTED_PROXIES`). Empty means none: the direct peer is the client and forwarded headers are
 * ignored, so a client cannot choose the address that rate limits and the audit log see.
 */
export interface TrustedProxies {
  /** The entries as configured (IPs, CIDRs, or `loopback`/`linklocal`/`uniquelocal`). */
  readonly entries: readonly string[];
  /** Whether `address` (the hop at `hop`, 0 = the direct peer) is a trusted proxy; Fastify's `trustProxy` shape. */
  readonly trusts: (address: string, hop: number) => boolean;
}

/** Thrown by {@link parseTrustedProxies} for an entry that is not an IP, a CIDR or a known range name. */
export class TrustedProxiesError extends Error {
  override readonly name = "TrustedProxiesError";
}

/**
 * Parses a comma-separated list of IPs and CIDRs (`10.0.0.0/8, 192.168.1.10, ::1`), matched with
 * `@fastify/proxy-addr` (what Fastify's own `trustProxy` uses; IPv4-mapped IPv6 peers match their
 * IPv4 entries).
 * @throws TrustedProxiesError naming the bad entry
 * @example
 * const trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES ?? "");
 * clientAddress(socket.remoteAddress, headers["x-forwarded-for"], trusted);
 */
export function parseTrustedProxies(value: string): TrustedProxies {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return { entries, trusts: () => false };
  for (const entry of entries) {
    try {
      proxyAddr.compile(entry);
    } catch {
      throw new TrustedProxiesError(`"${entry}" is not an IP address or CIDR range`);
    }
  }
  return { entries, trusts: proxyAddr.compile(entries) };
}

/** Whether the direct peer is one of the trusted proxies (so its forwarded headers count). */
export function isTrustedPeer(peer: string, trusted: TrustedProxies): boolean {
  return trusted.trusts(peer, 0);
}

/**
 * The client's address: walks `X-Forwarded-For` from the right while each hop is a trusted proxy
 * and returns the first untrusted one (the standard algorithm; a client can prepend anything, but
 * not past a proxy that appends the address it saw). With no trusted proxies it is `peer`.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  const request = {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  } as unknown as IncomingMessage;
  return proxyAddr(request, trusted.trusts);
}

/**
 * The `TRUSTED_PROXIES` environment field of every app: a comma-separated list parsed by
 * {@link parseTrustedProxies} at start-up (a bad entry stops the app with a message naming it).
 * Empty or unset: no proxy is trusted.
 */
export const trustedProxiesField = z
  .string()
  .default("")
  .transform((value, ctx): TrustedProxies => {
    try {
      return parseTrustedProxies(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });
