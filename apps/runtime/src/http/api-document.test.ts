import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiDocument } from "./api-document";

describe("the committed OpenAPI document of @parley/client", () => {
  it("is the route table's document (else: npm run generate -w @parley/client)", () => {
    const committed = readFileSync(
      new URL("../../../../packages/client/openapi.json", import.meta.url),
      "utf8",
    );
    expect(JSON.parse(committed)).toEqual(apiDocument());
  });
});
