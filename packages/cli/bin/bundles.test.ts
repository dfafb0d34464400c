import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle, freshBundle, repoRoot } from "./bundles.js";

/**
 * The bundles `parley` runs from. Built into a private cache directory inside node_modules (so the
 * bundle's dependency imports resolve exactly as in the real cache), never touching sources.
 */
mkdirSync(join(repoRoot, "node_modules", ".cache"), { recursive: true });
const cache = mkdtempSync(join(repoRoot, "node_modules", ".cache", "parley-bundles-test-"));
let entry: string;

beforeAll(async () => {
  entry = await buildBundle("cli", cache);
}, 120_000);

afterAll(() => {
  rmSync(cache, { recursive: true, force: true });
});

const runBundle = (args: string[]) =>
  spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { main } = await import(${JSON.stringify(entry)});
       process.exitCode = await main(process.argv.slice(1), process);`,
      ...args,
    ],
    { cwd: cache, encoding: "utf8" },
  );

describe("CLI bundle", () => {
  it("is fresh right after it is built, with its inputs recorded", () => {
    expect(freshBundle("cli", cache)).toBe(entry);
    const manifest = JSON.parse(readFileSync(join(cache, "cli.json"), "utf8")) as {
      inputs: [string, number, number][];
    };
    const inputs = manifest.inputs.map(([path]) => path);
    expect(inputs).toContain(join(repoRoot, "packages/cli/src/main.ts"));
    expect(inputs).toContain(join(repoRoot, "packages/cli/bin/bundles.js"));
    // Workspace packages are bundled from source; dependencies are not inputs.
    expect(inputs.some((path) => path.includes("/packages/db/src/"))).toBe(true);
    expect(inputs.some((path) => path.includes("/node_modules/"))).toBe(false);
  });

  it("is stale when an input changed or the build is gone", () => {
    const file = join(cache, "cli.json");
    const original = readFileSync(file, "utf8");
    try {
      const manifest = JSON.parse(original) as { inputs: [string, number, number][] };
      manifest.inputs[0] = [manifest.inputs[0]![0], manifest.inputs[0]![1] - 1000, manifest.inputs[0]![2]];
      writeFileSync(file, JSON.stringify(manifest));
      expect(freshBundle("cli", cache)).toBeUndefined();
    } finally {
      writeFileSync(file, original);
    }
    expect(freshBundle("cli", cache)).toBe(entry);
    expect(freshBundle("runtime", cache)).toBeUndefined();
  });

  it("keeps lazily loaded commands in chunks of their own", () => {
    const chunks = readdirSync(join(entry, "..", "chunks")).filter((name) => name.endsWith(".mjs"));
    for (const command of ["start", "chat", "validate", "seed"]) {
      expect(chunks.some((name) => name.startsWith(`${command}-`))).toBe(true);
    }
    // The entry itself imports no dependency: `parley validate` does not load Prisma, and so on.
    const imports = [...readFileSync(entry, "utf8").matchAll(/^import .*?from "([^"]+)"/gm)].map((m) => m[1]);
    expect(
      imports.filter((specifier) => !specifier?.startsWith(".") && !specifier?.startsWith("node:")),
    ).toEqual([]);
  });

  it("keeps the start command (the long-lived parent) free of Prisma, BullMQ and Redis", () => {
    const chunks = join(entry, "..", "chunks");
    const start = readdirSync(chunks).find((name) => name.startsWith("start-") && name.endsWith(".mjs"));
    const dependencies = new Set<string>();
    const visited = new Set<string>();
    const visit = (file: string) => {
      if (visited.has(file)) return;
      visited.add(file);
      for (const [, specifier] of readFileSync(file, "utf8").matchAll(
        /^import\s+(?:[^;]*?\s+from\s+)?"([^"]+)"/gms,
      )) {
        if (specifier?.startsWith(".")) visit(join(file, "..", specifier));
        else if (specifier && !specifier.startsWith("node:")) dependencies.add(specifier);
      }
    };
    visit(join(chunks, start!));
    expect(dependencies).toContain("pg");
    for (const heavy of [
      "@prisma/client/runtime/client",
      "@prisma/adapter-pg",
      "bullmq",
      "ioredis",
      "@node-rs/argon2",
    ]) {
      expect(dependencies).not.toContain(heavy);
    }
  });

  it("gives each workspace file its own import.meta.url, so it finds files next to its source", () => {
    const dir = join(entry, "..");
    const files = [entry, ...readdirSync(join(dir, "chunks")).map((name) => join(dir, "chunks", name))];
    const code = files.filter((file) => file.endsWith(".mjs")).map((file) => readFileSync(file, "utf8"));
    const banner = "__parleyCreateRequire(import.meta.url)";
    for (const text of code)
      expect(text.split("import.meta.url").length - 1).toBe(text.split(banner).length - 1);
    const migrationFiles = `file://${join(repoRoot, "packages/db/src/migrations/migration-files.ts")}`;
    expect(code.some((text) => text.includes(JSON.stringify(migrationFiles)))).toBe(true);
  });

  it("runs as the CLI from any working directory", () => {
    const flow = join(repoRoot, "examples/flows/pizza-order.json");
    const valid = runBundle(["validate", flow]);
    expect(valid.stderr).toBe("");
    expect(valid.stdout).toContain("valid");
    expect(valid.status).toBe(0);

    const usage = runBundle(["validate"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("Usage: parley validate");
  });
});
