// @ts-check
/**
 * Production bundles of Parley's own Node processes (the `parley` CLI and the runtime).
 *
 * The workspace packages ship TypeScript source. Running them through tsx costs every process a
 * loader thread, an esbuild service process and a transform on each start; a bundle made by esbuild
 * (already installed as tsx's dependency) runs on plain Node: less memory, faster start. Bundles are
 * a cache under node_modules/.cache/parley, rebuilt when any of their input files changed (like the
 * studio's `next build`). Dependencies stay ordinary imports from node_modules; only the workspace's
 * own TypeScript is bundled.
 *
 * Plain JavaScript on purpose: this runs before anything can load TypeScript.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { dirname, extname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (where the workspaces live). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Where bundles (and other derived start-up artefacts) are cached. */
export const cacheDir = join(repoRoot, "node_modules", ".cache", "parley");

/** Entry point of each bundle, relative to the repository root. */
const ENTRIES = /** @type {const} */ ({
  cli: "packages/cli/src/main.ts",
  runtime: "apps/runtime/src/main.ts",
});

/** @typedef {keyof typeof ENTRIES} BundleName */

/**
 * What a bundle was built from: every input file with its modification time and size, and the
 * directory holding the build. A bundle is fresh when all inputs are unchanged. A file that joins the
 * dependency graph can only do so through an import added to a file already in it, which changes
 * that file.
 * @typedef {{ version: 2, build: string, inputs: [string, number, number][] }} BundleManifest
 */

const MANIFEST_VERSION = 2;
/** Builds a running process may still load chunks from are kept this long after being replaced. */
const KEEP_REPLACED_BUILDS_MS = 24 * 60 * 60 * 1000;
const rootNodeModules = join(repoRoot, "node_modules") + sep;

/**
 * @param {BundleName} name
 * @param {string} cache
 */
const manifestPath = (name, cache) => join(cache, `${name}.json`);
/**
 * @param {BundleName} name
 * @param {string} cache
 */
const buildsDir = (name, cache) => join(cache, name);

/**
 * The bundle's entry file when it exists and none of its inputs changed since it was built, else
 * undefined.
 * @param {BundleName} name
 * @param {string} [cache] the cache directory (tests use their own)
 * @returns {string | undefined}
 */
export function freshBundle(name, cache = cacheDir) {
  try {
    /** @type {BundleManifest} */
    const manifest = JSON.parse(readFileSync(manifestPath(name, cache), "utf8"));
    if (manifest.version !== MANIFEST_VERSION) return undefined;
    const entry = join(buildsDir(name, cache), manifest.build, "main.mjs");
    if (!existsSync(entry)) return undefined;
    for (const [path, mtimeMs, size] of manifest.inputs) {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat || stat.mtimeMs !== mtimeMs || stat.size !== size) return undefined;
    }
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * The bundle's entry file, building it first when it is missing or stale.
 * @param {BundleName} name
 * @param {string} [cache]
 * @returns {Promise<string>}
 */
export async function ensureBundle(name, cache = cacheDir) {
  return freshBundle(name, cache) ?? (await buildBundle(name, cache));
}

/**
 * The entry files of the bundles, building the stale ones first in a short-lived child process, so
 * that esbuild and its output never take up memory in the calling process (the `parley start`
 * parent lives as long as the product). Rejects with esbuild's message when a build fails.
 * @template {BundleName} Name
 * @param {Name[]} names
 * @returns {Promise<Record<Name, string>>}
 */
export async function ensureBundlesInChild(names) {
  const stale = names.filter((name) => freshBundle(name) === undefined);
  if (stale.length > 0) {
    const { spawn } = await import("node:child_process");
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...stale], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let errors = "";
      child.stderr.on("data", (chunk) => {
        errors += String(chunk);
      });
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve(undefined) : reject(new Error(errors.trim() || `bundling exited ${code}`)),
      );
    });
  }
  /** @type {Partial<Record<Name, string>>} */
  const entries = {};
  for (const name of names) {
    const entry = freshBundle(name);
    if (!entry) throw new Error(`the ${name} bundle is still stale after building it`);
    entries[name] = entry;
  }
  return /** @type {Record<Name, string>} */ (entries);
}

/**
 * Builds one bundle with esbuild into a directory of its own and points the manifest at it.
 *
 * Code splitting keeps lazy imports lazy: a module the source loads with `import()` (a command, a
 * provider SDK's adapter) becomes a chunk loaded on demand, with its dependencies. Since a running
 * process may load a chunk long after it started, a build is never overwritten: each goes to a new
 * directory, and replaced ones are removed a day later. Two builds at once are safe for the same
 * reason; the last manifest written wins.
 * @param {BundleName} name
 * @param {string} [cache]
 * @returns {Promise<string>}
 */
export async function buildBundle(name, cache = cacheDir) {
  const esbuild = await import("esbuild");
  const build = `${Date.now().toString(36)}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const outdir = join(buildsDir(name, cache), build);
  try {
    const result = await esbuild.build({
      absWorkingDir: repoRoot,
      entryPoints: { main: join(repoRoot, ENTRIES[name]) },
      outdir,
      outExtension: { ".js": ".mjs" },
      chunkNames: "chunks/[name]-[hash]",
      splitting: true,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      sourcemap: "linked",
      sourcesContent: false,
      legalComments: "none",
      metafile: true,
      logLevel: "silent",
      // esbuild's ESM output turns a CommonJS `require` into a shim that needs a real `require`.
      banner: {
        js: 'import { createRequire as __parleyCreateRequire } from "node:module"; const require = __parleyCreateRequire(import.meta.url);',
      },
      plugins: [workspaceOnlyPlugin()],
    });
    const inputs = [
      ...Object.keys(result.metafile.inputs).map((input) => join(repoRoot, input)),
      fileURLToPath(import.meta.url),
    ];
    /** @type {BundleManifest} */
    const manifest = {
      version: MANIFEST_VERSION,
      build,
      inputs: [...new Set(inputs)].map((path) => {
        const stat = statSync(path);
        return [path, stat.mtimeMs, stat.size];
      }),
    };
    const partial = `${manifestPath(name, cache)}.${build}.tmp`;
    writeFileSync(partial, JSON.stringify(manifest));
    renameSync(partial, manifestPath(name, cache));
    pruneReplacedBuilds(buildsDir(name, cache), build);
    return join(outdir, "main.mjs");
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  } finally {
    // esbuild keeps a service process alive for the next build; there is none.
    await esbuild.stop();
  }
}

/**
 * Removes builds in `builds` other than `current` that were made more than a day ago.
 * @param {string} builds
 * @param {string} current
 */
function pruneReplacedBuilds(builds, current) {
  for (const build of readdirSync(builds)) {
    if (build === current) continue;
    const dir = join(builds, build);
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > KEEP_REPLACED_BUILDS_MS) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Bundles the workspace's own files and leaves every dependency an import that Node resolves at run
 * time, as it would for the source. Two adjustments keep the bundle behaving like the source:
 * `import.meta.url` in a workspace file becomes that file's own URL (code finds its migrations, the
 * example flows, Prisma's generated client ... next to itself), and a dependency found in a nested
 * node_modules (not hoisted) is imported by its absolute path, since the bundle lives elsewhere.
 *
 * Dependencies are declared free of import side effects, so a dependency whose bindings the bundled
 * code never uses is not loaded at all (the CLI's parent process, which hosts the embedded database,
 * would otherwise load BullMQ, ioredis and more through package entry points it barely uses). The
 * workspace imports no package for its side effects alone (`import "x"`), which this would drop.
 * @returns {import("esbuild").Plugin}
 */
function workspaceOnlyPlugin() {
  return {
    name: "parley-workspace-only",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.parleyResolving || args.path.startsWith("@parley/")) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true, sideEffects: false };
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { parleyResolving: true },
        });
        // Unresolvable (an optional dependency that is not installed): fail at run time, like the source.
        if (resolved.errors.length > 0 || resolved.path.startsWith(rootNodeModules)) {
          return { path: args.path, external: true, sideEffects: false };
        }
        return { path: pathToFileURL(resolved.path).href, external: true, sideEffects: false };
      });
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!source.includes("import.meta")) return undefined;
        const contents = source
          .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
          .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path));
        return { contents, loader: loaderFor(args.path) };
      });
    },
  };
}

/**
 * @param {string} path
 * @returns {import("esbuild").Loader}
 */
function loaderFor(path) {
  const extension = extname(path);
  if (extension === ".tsx") return "tsx";
  if (extension === ".jsx") return "jsx";
  if (extension === ".ts" || extension === ".mts" || extension === ".cts") return "ts";
  return "js";
}

// `node bundles.js <name>...` builds the named bundles (what ensureBundlesInChild runs).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const name of process.argv.slice(2)) {
    if (!(name in ENTRIES)) {
      process.stderr.write(`unknown bundle "${name}"; known: ${Object.keys(ENTRIES).join(", ")}\n`);
      process.exit(2);
    }
    try {
      await buildBundle(/** @type {BundleName} */ (name));
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  }
}
