import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { committedDocument, renderSchema, schemaUrl } from "../scripts/render-schema";

describe("the generated schema", () => {
  it("is what openapi-typescript makes of the committed OpenAPI document (else: npm run generate -w @parley/client)", async () => {
    const expected = await renderSchema(committedDocument());
    expect(readFileSync(schemaUrl, "utf8")).toBe(expected);
  });
});
