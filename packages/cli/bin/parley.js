#!/usr/bin/env node
// The `parley` command. Runs the CLI from an esbuild bundle of its TypeScript sources, built on first
// use and again whenever a source changed (see bundles.js); when no bundle can be built it registers
// tsx and runs the sources directly. PARLEY_FROM_SOURCE=1 forces the latter.
import { pathToFileURL } from "node:url";
import { ensureBundlesInChild } from "./bundles.js";

const debug = Boolean(process.env.PARLEY_DEBUG);
if (debug) process.setSourceMapsEnabled(true);

/** @returns {Promise<typeof import("../src/main")>} */
async function loadCli() {
  if (!process.env.PARLEY_FROM_SOURCE) {
    try {
      // `start` needs the runtime's bundle too: build both in one go when stale.
      const names = process.argv[2] === "start" ? ["cli", "runtime"] : ["cli"];
      const { cli } = await ensureBundlesInChild(/** @type {("cli" | "runtime")[]} */ (names));
      return await import(pathToFileURL(cli).href);
    } catch (error) {
      if (debug) process.stderr.write(`parley: running from source (no bundle: ${error})\n`);
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  // A variable, so the type checker does not insist on an extensionless path that tsx cannot load.
  const source = "../src/main.ts";
  return import(source);
}

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
