import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generatedClientPath, generateForComparison } from "./generate-client";

/**
 * The Prisma client is committed (so a fresh clone works with no generate step and no install scripts).
 * This regenerates it from prisma/schema.prisma into a scratch directory and compares every file.
 */
describe("the committed Prisma client", () => {
  const scratch = mkdtempSync(join(tmpdir(), "parley-client-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is what `npm run generate -w @parley/db` produces from the current schema", async () => {
    const { fresh, committed } = await generateForComparison(scratch);
    const hint = `${generatedClientPath} is stale: run \`npm run generate -w @parley/db\``;
    expect([...committed.keys()].sort(), hint).toEqual([...fresh.keys()].sort());
    for (const [file, content] of fresh) {
      expect(committed.get(file) === content, `${hint} (${file} differs)`).toBe(true);
    }
  });
});
