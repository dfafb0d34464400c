/**
 * Runs the benchmarks one after another (they share a 2-core machine, so never in parallel) and prints
 * one JSON object keyed by suite. `npm run bench -- engine runtime` runs only the named suites.
 * Each suite is `bench/<suite>/run.ts` and prints one JSON object on stdout.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(benchDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(benchDir, entry.name, "run.ts")))
  .map((entry) => entry.name)
  .sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark suite(s): ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(2);
}

const results: Record<string, unknown> = {};
for (const suite of requested.length > 0 ? requested : available) {
  console.error(`running bench/${suite} ...`);
  const run = spawnSync(process.execPath, ["--import", "tsx", join(benchDir, suite, "run.ts")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    results[suite] =
      run.status === 0 ? JSON.parse(run.stdout) : { error: `exited ${run.status}`, output: run.stdout };
  } catch {
    results[suite] = { error: "did not print one JSON object", output: run.stdout };
  }
}
console.log(JSON.stringify(results, null, 2));
