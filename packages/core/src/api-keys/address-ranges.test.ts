import { describe, expect, it } from "vitest";
import { addressInRanges, addressRangeSchema } from "./address-ranges";

describe("addressRangeSchema", () => {
  it.each([
    ["203.0.113.7/24", "203.0.113.0/24"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["198.51.100.9", "198.51.100.9/32"],
    ["2001:db8::1/32", "2001:db8::/32"],
    ["::1", "::1/128"],
    [" 192.168.0.0/16 ", "192.168.0.0/16"],
  ])("normalises %s to %s", (input, stored) => {
    expect(addressRangeSchema.parse(input)).toBe(stored);
  });

  it.each(["10.0.0.0/33", "300.1.1.1", "example.com", "10.0.0.0/", "", "2001:db8::/129"])(
    "refuses %j with a message that says what a range looks like",
    (input) => {
      const result = addressRangeSchema.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toContain("CIDR range");
    },
  );
});

describe("addressInRanges", () => {
  it("allows every address when no range is set", () => {
    expect(addressInRanges("8.8.8.8", [])).toBe(true);
  });

  it.each([
    ["10.1.2.3", ["10.0.0.0/8"], true],
    ["11.1.2.3", ["10.0.0.0/8"], false],
    ["::ffff:10.1.2.3", ["10.0.0.0/8"], true],
    ["127.0.0.1", ["10.0.0.0/8", "127.0.0.0/8"], true],
    ["2001:db8::42", ["2001:db8::/32"], true],
    ["2001:db9::42", ["2001:db8::/32"], false],
    ["10.1.2.3", ["2001:db8::/32"], false],
    ["not an address", ["0.0.0.0/0"], false],
    ["", ["0.0.0.0/0"], false],
  ] as const)("%s in %j -> %s", (address, ranges, expected) => {
    expect(addressInRanges(address, ranges)).toBe(expected);
  });
});
