import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { machineJsonSchemaText } from "./json-schema";

const committedPath = fileURLToPath(new URL("../../machine.schema.json", import.meta.url));

describe("machine.schema.json", () => {
  it("is up to date with the zod schema", () => {
    expect(
      readFileSync(committedPath, "utf8") === machineJsonSchemaText(),
      "packages/engine/machine.schema.json is stale: run `npm run generate -w @parley/engine` and commit the result",
    ).toBe(true);
  });
});
