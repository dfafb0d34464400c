import { BlockList, isIP } from "node:net";

/**
 * Host suffixes of the Bot Connector services activities name as `serviceUrl` (public cloud,
 * Teams, US government clouds). A reply goes only to one of these over https, or to a host the
 * operator lists in `PARLEY_OUTBOUND_ALLOWED_HOSTS` (a self-hosted connector, tests).
 */
export const BOT_CONNECTOR_HOST_SUFFIXES = [
  ".botframework.com",
  ".trafficmanager.net",
  ".teams.microsoft.com",
  ".botframework.us",
  ".botframework.azure.us",
  ".teams.microsoft.us",
] as const;

/**
 * Whether replies may be posted to `serviceUrl`: https on a Bot Connector host, or (any scheme) a
 * host, `host:port` or address range in `allowedHosts`. The guarded client still applies its
 * address rules to whatever passes here.
 */
export function serviceUrlProblem(serviceUrl: string, allowedHosts: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return "no Bot Connector serviceUrl is known for this conversation yet (Teams bots reply once a user has written to them)";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  if (listed(host, port, allowedHosts)) return undefined;
  if (url.protocol !== "https:") {
    return `the serviceUrl ${url.origin} is not https (an operator can allow a host with PARLEY_OUTBOUND_ALLOWED_HOSTS)`;
  }
  if (BOT_CONNECTOR_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix))) return undefined;
  return `the serviceUrl host ${host} is not a Bot Framework connector host (an operator can allow it with PARLEY_OUTBOUND_ALLOWED_HOSTS)`;
}

function listed(host: string, port: number, allowedHosts: readonly string[]): boolean {
  for (const raw of allowedHosts) {
    const entry = raw.trim().toLowerCase();
    if (entry.includes("/")) {
      const [network = "", prefix = ""] = entry.split("/");
      const family = isIP(network);
      if (family !== 0 && isIP(host) === family) {
        const list = new BlockList();
        list.addSubnet(network, Number(prefix), family === 4 ? "ipv4" : "ipv6");
        if (list.check(host, family === 4 ? "ipv4" : "ipv6")) return true;
      }
      continue;
    }
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const plain = /^([^:]+)(?::(\d+))?$/.exec(entry);
    const [name, entryPort] = bracketed
      ? [bracketed[1], bracketed[2]]
      : isIP(entry) === 6
        ? [entry, undefined]
        : [plain?.[1], plain?.[2]];
    if (name === host && (entryPort === undefined || Number(entryPort) === port)) return true;
  }
  return false;
}
