/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_PROFILE_DIR of run.ts): CPU time
 * by package and the hottest functions by self time. Prints JSON.
 * Usage: `tsx bench/runtime/cpu-profile-summary.ts <file.cpuprofile> [turns]` (with `turns`, also
 * CPU ms per turn; idle time is excluded).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which package a script URL belongs to: a node_modules package, a workspace package, or node itself. */
function packageOf(url: string): string {
  if (!url) return "(native/gc)";
  if (url.startsWith("node:")) return "node:internal";
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace) return `@parley/${workspace[2]}`;
  return url;
}

const [file, turnsArg] = process.argv.slice(2);
if (!file) throw new Error("usage: cpu-profile-summary.ts <file.cpuprofile> [turns]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
let busyUs = 0;
const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  if (frame.functionName === "(idle)") continue;
  busyUs += us;
  const pkg = frame.functionName.startsWith("(") ? frame.functionName : packageOf(frame.url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  const name = `${frame.functionName || "(anonymous)"} ${pkg}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
}
const turns = turnsArg ? Number(turnsArg) : undefined;
const top = (map: Map<string, number>, n: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 100) / 10,
      share: Math.round((us / busyUs) * 1000) / 10,
    }));
process.stdout.write(
  `${JSON.stringify(
    {
      busyMs: Math.round(busyUs / 1000),
      ...(turns ? { cpuMsPerTurn: Math.round((busyUs / 1000 / turns) * 100) / 100 } : {}),
      byPackage: top(byPackage, 25),
      topFunctions: top(byFunction, 30),
    },
    null,
    1,
  )}\n`,
);
