import { describe, expect, it } from "vitest";
import { checkAddress } from "./address-policy";
import { createGuardedHttpClient, OutboundHttpError } from "./guarded-http-client";

/** [address, expected refusal pattern or undefined when the address may be contacted]. */
const table: [string, RegExp | undefined][] = [
  // Plain IPv4
  ["127.0.0.1", /loopback/],
  ["127.255.0.9", /loopback/],
  ["10.1.2.3", /private/],
  ["172.20.0.1", /private/],
  ["192.168.1.1", /private/],
  ["100.64.0.1", /private/],
  ["169.254.169.254", /metadata/],
  ["0.0.0.0", /reserved/],
  ["224.0.0.1", /reserved/],
  ["255.255.255.255", /reserved/],
  ["192.0.2.1", /reserved/],
  ["198.18.0.1", /reserved/],
  ["93.184.216.34", undefined],
  ["1.1.1.1", undefined],
  // Plain IPv6
  ["::1", /loopback/],
  ["::", /reserved/],
  ["fe80::1", /link-local/],
  ["fe80::1%eth0", /link-local/],
  ["fd00:ec2::254", /private/],
  ["fc00::1", /private/],
  ["fec0::1", /reserved/],
  ["ff02::1", /reserved/],
  ["2001:db8::1", /reserved/],
  ["100::1", /reserved/],
  ["2606:4700:4700::1111", undefined],
  // IPv4-mapped and IPv4-translated: judged as the IPv4
  ["::ffff:127.0.0.1", /embeds 127\.0\.0\.1 \(IPv4-mapped\): .*loopback/],
  ["::ffff:7f00:1", /embeds 127\.0\.0\.1/],
  ["::ffff:169.254.169.254", /embeds 169\.254\.169\.254/],
  ["::ffff:10.0.0.1", /private/],
  ["::ffff:0:10.0.0.1", /embeds 10\.0\.0\.1/],
  ["::ffff:93.184.216.34", undefined],
  // IPv4-compatible (deprecated): the finding's [::127.0.0.1]
  ["::127.0.0.1", /embeds 127\.0\.0\.1 \(IPv4-compatible\): .*loopback/],
  ["::7f00:1", /embeds 127\.0\.0\.1/],
  ["::169.254.169.254", /embeds 169\.254\.169\.254/],
  ["::10.0.0.1", /embeds 10\.0\.0\.1/],
  ["::0.0.0.2", /embeds 0\.0\.0\.2/],
  ["::8.8.8.8", /deprecated IPv4-compatible/],
  // NAT64 well-known prefix: judged as the IPv4 (DNS64 networks use it for public hosts)
  ["64:ff9b::127.0.0.1", /embeds 127\.0\.0\.1 \(NAT64\)/],
  ["64:ff9b::a9fe:a9fe", /embeds 169\.254\.169\.254/],
  ["64:ff9b::10.0.0.1", /private/],
  ["64:ff9b::93.184.216.34", undefined],
  ["64:ff9b:1::a00:1", /local-use NAT64/],
  // 6to4 (deprecated)
  ["2002:7f00:1::1", /embeds 127\.0\.0\.1 \(6to4\)/],
  ["2002:a9fe:a9fe::", /embeds 169\.254\.169\.254/],
  ["2002:c0a8:101::1", /embeds 192\.168\.1\.1/],
  ["2002:808:808::1", /deprecated 6to4/],
  // Teredo (deprecated): server IPv4, then the client IPv4 (inverted)
  ["2001:0:7f00:1::1", /embeds 127\.0\.0\.1 \(Teredo\)/],
  ["2001:0:808:808::80ff:fffe", /embeds 127\.0\.0\.1 \(Teredo\)/],
  ["2001:0:808:808::f7f7:f7f7", /deprecated Teredo/],
  // Not addresses at all
  ["0x7f.1", /not an IP address/],
  ["localhost", /not an IP address/],
];

describe("checkAddress", () => {
  it.each(table)("%s", (address, expected) => {
    const refusal = checkAddress(address);
    if (expected === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(expected);
  });

  it("opens loopback and private only when the policy says so, never metadata or deprecated forms", () => {
    expect(checkAddress("127.0.0.1", { allowLoopback: true })).toBeUndefined();
    expect(checkAddress("::ffff:127.0.0.1", { allowLoopback: true })).toBeUndefined();
    expect(checkAddress("10.0.0.1", { allowLoopback: true })).toBeDefined();
    expect(checkAddress("10.0.0.1", { allowPrivate: true })).toBeUndefined();
    expect(checkAddress("64:ff9b::10.0.0.1", { allowPrivate: true })).toBeUndefined();
    expect(checkAddress("169.254.169.254", { allowLoopback: true, allowPrivate: true })).toBeDefined();
    expect(checkAddress("::127.0.0.1", { allowLoopback: true })).toMatch(/deprecated/);
    expect(checkAddress("2002:7f00:1::1", { allowLoopback: true })).toMatch(/deprecated/);
  });
});

describe("the guard over URLs with embedded IPv4", () => {
  it.each([
    "http://[::127.0.0.1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::1]/",
    "http://[::169.254.169.254]/latest/meta-data/",
  ])("refuses %s before connecting", async (url) => {
    const client = createGuardedHttpClient({ allowedHosts: [] });
    const error = await client.request({ method: "GET", url }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutboundHttpError);
    expect((error as OutboundHttpError).code).toBe("BLOCKED_DESTINATION");
    const fetchError = await client.fetch(url).catch((caught: unknown) => caught);
    expect((fetchError as OutboundHttpError).code).toBe("BLOCKED_DESTINATION");
  });
});
