import { describe, expect, it } from "vitest";
import { clientAddress, isTrustedPeer, parseTrustedProxies, TrustedProxiesError } from "./trusted-proxies";

describe("TRUSTED_PROXIES", () => {
  it("trusts nobody by default: the peer is the client whatever X-Forwarded-For says", () => {
    const none = parseTrustedProxies("");
    expect(none.entries).toEqual([]);
    expect(clientAddress("203.0.113.7", "1.2.3.4", none)).toBe("203.0.113.7");
    expect(isTrustedPeer("127.0.0.1", none)).toBe(false);
  });

  it("walks X-Forwarded-For from the right through trusted hops only", () => {
    const trusted = parseTrustedProxies(" 10.0.0.0/8 , 192.168.1.10,::1");
    expect(trusted.entries).toEqual(["10.0.0.0/8", "192.168.1.10", "::1"]);
    // The client's own prefix is ignored: the first untrusted hop from the right is the answer.
    expect(clientAddress("10.1.2.3", "6.6.6.6, 203.0.113.7", trusted)).toBe("203.0.113.7");
    expect(clientAddress("10.1.2.3", "203.0.113.7, 192.168.1.10", trusted)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:10.1.2.3", "203.0.113.7", trusted)).toBe("203.0.113.7");
    expect(clientAddress("::1", "203.0.113.9", trusted)).toBe("203.0.113.9");
    // An untrusted peer's header is not believed.
    expect(clientAddress("198.51.100.1", "203.0.113.7", trusted)).toBe("198.51.100.1");
    expect(isTrustedPeer("10.9.9.9", trusted)).toBe(true);
    expect(isTrustedPeer("11.0.0.1", trusted)).toBe(false);
  });

  it("refuses an entry that is not an address, naming it", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.example.com")).toThrow(TrustedProxiesError);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
  });
});
