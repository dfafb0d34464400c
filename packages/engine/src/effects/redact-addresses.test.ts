import { describe, expect, it } from "vitest";
import { redactAddresses } from "./redact-addresses";

describe("redactAddresses", () => {
  it.each([
    [
      "request to api.internal failed: connect ECONNREFUSED 10.0.0.5:8080",
      "request to api.internal failed: connect ECONNREFUSED [address]",
    ],
    [
      "refused to contact meta.local: 169.254.169.254 is a private, link-local, metadata or reserved address",
      "refused to contact meta.local: [address] is a private, link-local, metadata or reserved address",
    ],
    ["connect ECONNREFUSED ::1:443", "connect ECONNREFUSED [address]"],
    [
      "refused to contact x: [fe80::1] is a loopback address",
      "refused to contact x: [address] is a loopback address",
    ],
    ["refused: ::ffff:127.0.0.1 is a loopback address", "refused: [address] is a loopback address"],
  ])("%s", (message, expected) => {
    expect(redactAddresses(message)).toBe(expected);
  });

  it("keeps messages without addresses as they are", () => {
    for (const message of [
      "HTTP 503",
      "GET request failed: timed out after 10000 ms",
      "mapping to total failed: at 12:30",
    ]) {
      expect(redactAddresses(message)).toBe(message);
    }
  });
});
