import { statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The widget package root (apps/widget). */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Absolute path of the built one-file widget bundle (`apps/widget/dist/widget.js`). */
export const widgetScriptPath: string = join(packageRoot, "dist", "widget.js");

/** The bundle's entry module. */
const entryPoint = join(packageRoot, "src", "embed.tsx");

/** Builds `dist/widget.js`: one minified IIFE with Preact inlined, no other dependencies. */
export async function buildWidget(options: { minify?: boolean } = {}): Promise<string> {
  await build({
    entryPoints: [entryPoint],
    outfile: widgetScriptPath,
    bundle: true,
    format: "iife",
    target: ["es2020", "chrome90", "firefox90", "safari15"],
    minify: options.minify ?? true,
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    logLevel: "silent",
  });
  return widgetScriptPath;
}

/** Newest modification time (ms) among the widget's source files. */
async function newestSourceMtime(): Promise<number> {
  const files = await readdir(join(packageRoot, "src"), { recursive: true });
  let newest = 0;
  for (const file of files) {
    if (!/\.tsx?$/.test(file) || file.includes("test") || file.startsWith("server")) continue;
    newest = Math.max(newest, statSync(join(packageRoot, "src", file)).mtimeMs);
  }
  return newest;
}

let pendingBuild: Promise<string> | undefined;
let lastFreshCheck = 0;

/**
 * Returns the path of `dist/widget.js`, building it first when it is missing or older than a source
 * file. Concurrent callers share one build.
 */
export async function ensureWidgetBuilt(): Promise<string> {
  // Serving /widget.js must not stat the sources on every request: check at most once a second.
  if (Date.now() - lastFreshCheck < 1000) return widgetScriptPath;
  let builtAt = 0;
  try {
    builtAt = statSync(widgetScriptPath).mtimeMs;
  } catch {
    // Missing: build below.
  }
  if (builtAt === 0 || builtAt < (await newestSourceMtime())) {
    pendingBuild ??= buildWidget().finally(() => {
      pendingBuild = undefined;
    });
    await pendingBuild;
  }
  lastFreshCheck = Date.now();
  return widgetScriptPath;
}
