import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot, runPrismaCli, schemaPath } from "./prisma-cli";

/** Where the committed client lives, relative to the repository root. */
export const generatedClientPath = "packages/db/src/generated/prisma";

/**
 * Generates the Prisma client for `prisma/schema.prisma` under `root` (the repository root by default),
 * then makes the output independent of where the checkout lives: Prisma writes two absolute paths into
 * internal/class.ts (informational only for the `client` engine), which become repository-relative here.
 * That makes the committed files byte-for-byte reproducible, which the staleness test relies on.
 */
export async function generateClient(root: string = repoRoot): Promise<string> {
  const outputDir = join(root, generatedClientPath);
  rmSync(outputDir, { recursive: true, force: true });
  await runPrismaCli(["generate", "--schema", join(root, "prisma", "schema.prisma")]);
  for (const file of listFiles(outputDir)) {
    const text = readFileSync(file, "utf8");
    const normalised = sortGeneratorConfig(text.split(`${root}/`).join(""));
    if (normalised !== text) writeFileSync(file, normalised);
  }
  return outputDir;
}

/**
 * Prisma 6.19 writes the generator's `config` entries (engineType, moduleFormat, ...) in an order that
 * varies from run to run; sorting them makes the output reproducible. Only that flat block is touched.
 */
function sortGeneratorConfig(text: string): string {
  return text.replace(
    /("config": \{\n)((?:[ \t]+"[^"\n]+": [^\n{}]+\n)+)([ \t]*\})/g,
    (_, open, body, close) => {
      const entries = (body as string)
        .trimEnd()
        .split("\n")
        .map((line) => line.replace(/,$/, ""))
        .sort();
      return `${open}${entries.join(",\n")}\n${close}`;
    },
  );
}

/**
 * Generates the client from the current schema into a scratch copy of the repository layout under
 * `scratchRoot` and returns the generated files (relative path -> content) next to the committed ones.
 */
export async function generateForComparison(scratchRoot: string) {
  mkdirSync(join(scratchRoot, "prisma"), { recursive: true });
  copyFileSync(schemaPath, join(scratchRoot, "prisma", "schema.prisma"));
  const fresh = await generateClient(scratchRoot);
  return { fresh: readTree(fresh), committed: readTree(join(repoRoot, generatedClientPath)) };
}

function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((file) => [relative(dir, file), readFileSync(file, "utf8")]));
}

function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
