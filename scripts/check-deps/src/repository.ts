import { readFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import type { SourceFile, Workspace } from "./check";

/** Folders never checked: dependencies, build output, generated code, caches. */
const IGNORED = [
  "**/node_modules/**",
  "**/dist/**",
  "**/.next/**",
  "**/.turbo/**",
  "**/coverage/**",
  "**/test-results/**",
  "**/src/generated/**",
];

/** Source files the rules apply to. */
const SOURCE_GLOB = "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}";

interface PackageJson {
  name?: string;
  workspaces?: string[];
  exports?: string | Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readJson = (path: string): PackageJson => JSON.parse(readFileSync(path, "utf8")) as PackageJson;

/** The workspaces the root package.json declares, with what the rules need from each package.json. */
export function loadWorkspaces(root: string): Workspace[] {
  const patterns = readJson(join(root, "package.json")).workspaces ?? [];
  const manifests = globSync(
    patterns.map((pattern) => `${pattern}/package.json`),
    { cwd: root, ignore: ["**/node_modules/**"] },
  );
  return manifests.sort().map((manifest) => {
    const pkg = readJson(join(root, manifest));
    const dir = manifest.slice(0, -"/package.json".length);
    return {
      name: pkg.name ?? dir,
      dir,
      ...(pkg.exports === undefined ? {} : { exports: pkg.exports }),
      declared: new Set([
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.devDependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
        ...Object.keys(pkg.optionalDependencies ?? {}),
      ]),
    };
  });
}

/** Every source file of the given workspaces, with its text. */
export function loadSourceFiles(root: string, workspaces: readonly Workspace[]): SourceFile[] {
  const paths = globSync(
    workspaces.map((workspace) => `${workspace.dir}/${SOURCE_GLOB}`),
    { cwd: root, ignore: IGNORED, dot: false },
  );
  return paths.sort().map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }));
}
