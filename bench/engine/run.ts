/**
 * Engine benchmark: `npx tsx bench/engine/run.ts` prints one JSON object with
 * - turns per second for the pizza flow through `runTurn` (snapshot persisted as JSON each turn),
 * - the same conversation on a hand-written XState machine, and the overhead ratio (engine and
 *   raw batches alternate, medians over rounds),
 * - the compile time of a generated 1,000-node flow (median of several runs),
 * - the persisted snapshot size of the pizza flow (largest over a conversation).
 */
import { readFileSync } from "node:fs";
import { compile, type PersistedSnapshot, runTurn, type TurnEventInput } from "@parley/engine";
import { generateLargeFlow } from "./large-flow";
import { createRawPizzaMachine, rawTurn } from "./raw-pizza-machine";

const pizzaFlow = JSON.parse(
  readFileSync(new URL("../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
);

/** One pizza conversation: start, name, size, phone (4 turns, the last one runs to the end). */
const script: TurnEventInput[] = [
  { type: "conversation.start" },
  { type: "user.text", text: "Ada" },
  { type: "user.text", text: "3" },
  { type: "user.text", text: "(555) 123-4567" },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function engineConversations(count: number, machine: ReturnType<typeof compile>) {
  let maxSnapshotBytes = 0;
  let turns = 0;
  for (let index = 0; index < count; index += 1) {
    let snapshot: PersistedSnapshot | null = null;
    for (const event of script) {
      const result = await runTurn({
        machine,
        snapshot,
        event,
        conversation: { id: `conversation-${index}` },
      });
      const text = JSON.stringify(result.snapshot);
      maxSnapshotBytes = Math.max(maxSnapshotBytes, Buffer.byteLength(text));
      snapshot = JSON.parse(text) as PersistedSnapshot;
      turns += 1;
    }
    if (snapshot?.status !== "done") throw new Error("the pizza conversation did not finish");
  }
  return { turns, maxSnapshotBytes };
}

async function rawConversations(count: number) {
  const out = { messages: [] as { type: string; nodeId: string }[] };
  const machine = createRawPizzaMachine(out);
  let turns = 0;
  for (let index = 0; index < count; index += 1) {
    let snapshot: string | null = null;
    for (const event of script) {
      snapshot = rawTurn(machine, out, snapshot, event as never).snapshot;
      turns += 1;
    }
    // The engine's turns are async (promise actors for effects); give the raw loop the same await.
    await Promise.resolve();
    if (!snapshot?.includes('"status":"done"')) throw new Error("the raw pizza conversation did not finish");
  }
  return { turns };
}

/** CPU time of this process in milliseconds (less sensitive than wall time to other processes). */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Runs engine and raw batches alternately, so both see the same machine load, and keeps the
 * median of each measure over the rounds.
 */
async function compareThroughput(rounds: number, perRound: number) {
  const engineRates: number[] = [];
  const rawRates: number[] = [];
  const wallRatios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    let wall = performance.now();
    let cpu = cpuMs();
    const { turns: engineTurns } = await engineConversations(perRound, machine);
    const engineWall = performance.now() - wall;
    const engineCpu = cpuMs() - cpu;
    wall = performance.now();
    cpu = cpuMs();
    const { turns: rawTurns } = await rawConversations(perRound);
    const rawWall = performance.now() - wall;
    const rawCpu = cpuMs() - cpu;
    engineRates.push(engineTurns / (engineWall / 1000));
    rawRates.push(rawTurns / (rawWall / 1000));
    wallRatios.push(engineWall / engineTurns / (rawWall / rawTurns));
    cpuRatios.push(engineCpu / engineTurns / (rawCpu / rawTurns));
  }
  return {
    engineTurnsPerSecond: median(engineRates),
    rawTurnsPerSecond: median(rawRates),
    wallRatio: median(wallRatios),
    cpuRatio: median(cpuRatios),
  };
}

const rounds = 12;
const conversationsPerRound = 250;
const machine = compile(pizzaFlow);

// Warm up both paths (JIT, caches) before measuring.
await engineConversations(400, machine);
await rawConversations(400);

const throughput = await compareThroughput(rounds, conversationsPerRound);
const { maxSnapshotBytes } = await engineConversations(1, machine);

const large = generateLargeFlow(1000);
for (let warm = 0; warm < 3; warm += 1) compile(large);
const compileTimes: number[] = [];
const compileCpuTimes: number[] = [];
for (let run = 0; run < 15; run += 1) {
  const started = performance.now();
  const startedCpu = cpuMs();
  compile(large);
  compileCpuTimes.push(cpuMs() - startedCpu);
  compileTimes.push(performance.now() - started);
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const overhead = throughput.wallRatio;
console.log(
  JSON.stringify(
    {
      benchmark: "engine",
      node: process.version,
      pizza: {
        rounds,
        conversationsPerRound,
        turnsPerConversation: script.length,
        engineTurnsPerSecond: round(throughput.engineTurnsPerSecond, 0),
        rawXStateTurnsPerSecond: round(throughput.rawTurnsPerSecond, 0),
        /** Median over rounds of (engine time per turn / raw time per turn), wall clock. */
        overheadRatio: round(overhead, 2),
        /** The same with process CPU time, steadier when other processes load the machine. */
        overheadRatioCpu: round(throughput.cpuRatio, 2),
        overheadTarget: 2,
        overheadWithinTarget: overhead <= 2,
      },
      compile1000Nodes: {
        nodes: (large.nodes as unknown[]).length,
        runs: compileTimes.length,
        medianMs: round(median(compileTimes), 2),
        minMs: round(Math.min(...compileTimes), 2),
        maxMs: round(Math.max(...compileTimes), 2),
        /** Process CPU time per compile: what the compiler costs, whatever else runs. */
        cpuMedianMs: round(median(compileCpuTimes), 2),
        targetMs: 200,
        withinTarget: median(compileTimes) < 200,
      },
      snapshot: {
        pizzaMaxPersistedBytes: maxSnapshotBytes,
        targetBytes: 2048,
        withinTarget: maxSnapshotBytes < 2048,
      },
    },
    null,
    2,
  ),
);
