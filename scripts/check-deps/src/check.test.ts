import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkImports, formatViolation, type Workspace } from "./check";
import { importsOf } from "./imports";
import { loadSourceFiles, loadWorkspaces } from "./repository";

/** A small monorepo in memory, shaped like the real one. */
const workspaces: Workspace[] = [
  {
    name: "@parley/contract",
    dir: "packages/contract",
    exports: { ".": "./src/index.ts" },
    declared: new Set(["zod"]),
  },
  {
    name: "@parley/engine",
    dir: "packages/engine",
    exports: { ".": "./src/index.ts" },
    declared: new Set(["@parley/contract", "@parley/flow-schema", "zod"]),
  },
  {
    name: "@parley/flow-schema",
    dir: "packages/flow-schema",
    exports: { ".": "./src/index.ts" },
    declared: new Set(),
  },
  {
    name: "@parley/db",
    dir: "packages/db",
    exports: { ".": "./src/index.ts", "./testing": "./src/testing/index.ts" },
    declared: new Set(),
  },
  {
    name: "@parley/core",
    dir: "packages/core",
    exports: { ".": "./src/index.ts", "./scopes": "./src/access/scopes.ts" },
    declared: new Set(["@parley/contract", "@parley/db", "@parley/engine"]),
  },
  {
    name: "@parley/runtime",
    dir: "apps/runtime",
    exports: { ".": "./src/index.ts" },
    declared: new Set(["@parley/core", "@parley/db", "@parley/contract"]),
  },
];

const check = (path: string, text: string) => checkImports(workspaces, [{ path, text }]);
const rulesOf = (path: string, text: string) => check(path, text).map((violation) => violation.rule);

describe("importsOf (TypeScript's pre-processor)", () => {
  it("finds static, type-only, re-exported, dynamic, required and import-type references with their lines", () => {
    const text = [
      'import { a } from "a";',
      'import type { B } from "b";',
      'export * from "d";',
      'export type { E } from "e";',
      'const f = await import("f");',
      'const g = require("g");',
      'type H = import("h").H;',
      'const s = "import x from \'not-an-import\'"; // import y from "nor-this"',
      "const el = <div />;",
    ].join("\n");
    expect(importsOf(text)).toEqual([
      { specifier: "a", line: 1 },
      { specifier: "b", line: 2 },
      { specifier: "d", line: 3 },
      { specifier: "e", line: 4 },
      { specifier: "f", line: 5 },
      { specifier: "g", line: 6 },
      { specifier: "h", line: 7 },
    ]);
  });
});

describe("checkImports", () => {
  it("reports a forbidden import in the engine with file, line and rule", () => {
    const violations = check(
      "packages/engine/src/interpret/cache.ts",
      '// cache\nimport Redis from "ioredis";\n',
    );
    expect(violations).toEqual([
      expect.objectContaining({
        file: "packages/engine/src/interpret/cache.ts",
        line: 2,
        specifier: "ioredis",
        rule: "pure-engine",
      }),
    ]);
    expect(formatViolation(violations[0]!)).toMatch(
      /^packages\/engine\/src\/interpret\/cache\.ts:2 {2}pure-engine {2}ioredis: /,
    );
  });

  it("keeps engine and flow-schema free of db, infra, servers, Redis, queues, Next and Prisma, even type-only", () => {
    for (const specifier of [
      "@parley/db",
      "@parley/infra",
      "fastify",
      "@fastify/cors",
      "bullmq",
      "next/server",
      "pg",
      "@prisma/client",
    ]) {
      expect(rulesOf("packages/flow-schema/src/x.ts", `import type { X } from "${specifier}";`)).toContain(
        "pure-engine",
      );
    }
    expect(
      rulesOf(
        "packages/engine/src/x.ts",
        'import { z } from "zod";\nimport { compile } from "@parley/flow-schema";',
      ),
    ).toEqual([]);
  });

  it("lets contract import zod only (and vitest in its tests)", () => {
    expect(
      rulesOf("packages/contract/src/x.ts", 'import { outgoingMessageSchema } from "@parley/engine";'),
    ).toContain("contract-leaf");
    expect(rulesOf("packages/contract/src/x.ts", 'import { readFileSync } from "node:fs";')).toEqual([
      "contract-leaf",
    ]);
    expect(
      rulesOf("packages/contract/src/x.ts", 'import { z } from "zod";\nimport { y } from "./y";'),
    ).toEqual([]);
    expect(rulesOf("packages/contract/src/x.test.ts", 'import { it } from "vitest";')).toEqual([]);
    expect(rulesOf("packages/contract/src/x.ts", 'import { it } from "vitest";')).toEqual(["contract-leaf"]);
  });

  it("lets apps import @parley/db only in the listed composition roots and in tests", () => {
    expect(rulesOf("apps/runtime/src/api/bots.ts", 'import type { Bot } from "@parley/db";')).toEqual([
      "db-composition-root",
    ]);
    expect(rulesOf("apps/runtime/src/runtime.ts", 'import { openDatabase } from "@parley/db";')).toEqual([]);
    expect(
      rulesOf("apps/runtime/src/api.test.ts", 'import { createTestDatabase } from "@parley/db/testing";'),
    ).toEqual([]);
    expect(rulesOf("packages/core/src/bots/bots.ts", 'import type { Bot } from "@parley/db";')).toEqual([]);
  });

  it("allows only a package's exports entries, never its files", () => {
    expect(rulesOf("packages/core/src/x.ts", 'import { x } from "@parley/db/src/client/client";')).toEqual([
      "public-entry",
    ]);
    expect(rulesOf("packages/core/src/x.ts", 'import { x } from "@parley/db/testing";')).toEqual([]);
    expect(rulesOf("apps/runtime/src/x.ts", 'import { API_KEY_SCOPES } from "@parley/core/scopes";')).toEqual(
      [],
    );
    const byPath = check(
      "apps/runtime/src/x.ts",
      'import { loadBot } from "../../../packages/core/src/bots/bots";',
    );
    expect(byPath).toEqual([expect.objectContaining({ rule: "public-entry", line: 1 })]);
    expect(byPath[0]?.message).toContain("@parley/core");
  });

  it("requires every imported @parley package to be declared", () => {
    expect(rulesOf("packages/engine/src/x.ts", 'import { createTenant } from "@parley/core";')).toEqual([
      "declared-dependency",
    ]);
    expect(rulesOf("packages/core/src/x.ts", 'import { compile } from "@parley/engine";')).toEqual([]);
  });
});

describe("this repository", () => {
  // Parsing every file of the repository takes a few seconds on a busy machine.
  it("keeps every dependency rule", { timeout: 60_000 }, () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
    const real = loadWorkspaces(root);
    const files = loadSourceFiles(root, real);
    expect(real.map((workspace) => workspace.name)).toEqual(
      expect.arrayContaining([
        "@parley/contract",
        "@parley/engine",
        "@parley/flow-schema",
        "@parley/core",
        "@parley/studio",
      ]),
    );
    expect(files.length).toBeGreaterThan(300);
    expect(checkImports(real, files).map(formatViolation)).toEqual([]);
  });
});
