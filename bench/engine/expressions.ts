/**
 * Expression benchmark: `npm run bench:expressions -w @parley/bench` prints one JSON object with
 * - the cost of one `evaluateExpression` call (median, p95, in µs) for typical tenant expressions,
 *   after (this tree) and before (`BENCH_BASE_ENGINE`, the engine entry of an older tree, when set);
 * - the cost of the same call through a worker thread (the alternative isolation mechanism);
 * - engine turns per CPU second for the pizza flow and for a flow with set-variable expressions;
 * - the latency of an unrelated tenant's turns, idle and while 10 runaway expressions run
 *   (each runaway is a turn whose set-variable recurses until its CPU budget ends it).
 *
 * Before/after needs the old engine's sources, e.g.
 * `git archive 42d2379 packages/engine | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/node_modules`
 * then `BENCH_BASE_ENGINE=/tmp/base/packages/engine/src/index.ts npm run bench:expressions -w @parley/bench`.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import * as current from "@parley/engine";

type Engine = typeof current;
type Machine = ReturnType<Engine["compile"]>;

const basePath = process.env.BENCH_BASE_ENGINE;
const base = basePath ? ((await import(pathToFileURL(basePath).href)) as Engine) : undefined;

const pizzaFlow = JSON.parse(
  readFileSync(new URL("../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

const input = {
  items: [
    { name: "Margherita", price: 9, qty: 2 },
    { name: "Diavola", price: 11, qty: 1 },
  ],
  name: "Ada",
  phone: "(555) 123-4567",
};

/** Typical tenant expressions: a mapping, a filter, a regex, a loop of 200 steps. */
const expressions = {
  mapping: '{ "total": $sum(items.(price * qty)), "greeting": "Hi " & name }',
  filter: "items[price > 10].name",
  regex: '$join($match(phone, /\\d+/).match, "")',
  loop200: "$sum([1..200].($ * 2))",
};

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
}

const summary = (samples: number[], digits = 1) => ({
  median: round(percentile(samples, 0.5), digits),
  p95: round(percentile(samples, 0.95), digits),
});

/** Per-call times (µs) of `evaluate`, in alternating batches so both engines see the same load. */
async function callCosts(engines: [string, Engine][], source: string, calls: number) {
  const samples = new Map<string, number[]>(engines.map(([name]) => [name, []]));
  for (const [, engine] of engines)
    for (let warm = 0; warm < 300; warm += 1) await engine.evaluateExpression(source, input);
  for (let batch = 0; batch < 10; batch += 1) {
    for (const [name, engine] of engines) {
      const list = samples.get(name)!;
      for (let index = 0; index < calls / 10; index += 1) {
        const started = performance.now();
        await engine.evaluateExpression(source, input);
        list.push((performance.now() - started) * 1000);
      }
    }
  }
  return Object.fromEntries([...samples].map(([name, list]) => [name, summary(list)]));
}

/** Per-call round trip (µs) of the same evaluation in a worker thread (option d, measured for comparison). */
async function workerCosts(source: string, calls: number) {
  const worker = new Worker(new URL("./expression-worker.mjs", import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: 64 },
  });
  const spawnStarted = performance.now();
  await new Promise((resolve) => worker.once("message", resolve));
  const spawnMs = performance.now() - spawnStarted;
  let next = 0;
  const pending = new Map<number, () => void>();
  worker.on("message", ({ id }: { id: number }) => pending.get(id)?.());
  const evaluate = () =>
    new Promise<void>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      worker.postMessage({ id, source, input });
    });
  for (let warm = 0; warm < 300; warm += 1) await evaluate();
  const samples: number[] = [];
  for (let index = 0; index < calls; index += 1) {
    const started = performance.now();
    await evaluate();
    samples.push((performance.now() - started) * 1000);
  }
  await worker.terminate();
  return { spawnMs: round(spawnMs), perCallUs: summary(samples) };
}

/** start -> set (mapping) -> ask name -> set (greeting) -> message -> end: two turns, two expressions. */
function expressionFlow(): Record<string, unknown> {
  const node = (id: string, kind: string, data: Record<string, unknown> = {}) => ({
    id,
    kind,
    position: { x: 0, y: 0 },
    data,
  });
  const edge = (source: string, handle: string, target: string) => ({
    id: `${source}:${handle}:${target}`,
    source,
    sourceHandle: handle,
    target,
  });
  const assign = (variable: string, expression: string) => ({
    assignments: [{ variable, value: { type: "expression", expression } }],
  });
  return {
    version: 1,
    id: "expressions",
    name: "Expressions",
    variables: [
      { name: "total", type: "number" },
      { name: "name", type: "string" },
      { name: "greeting", type: "string" },
    ],
    settings: {},
    nodes: [
      node("start", "start"),
      node("sum", "set-variable", assign("total", "$sum([1..20].($ * 2))")),
      node("ask", "ask", { prompt: "Name?", input: { type: "text" }, saveTo: "name" }),
      node(
        "greet",
        "set-variable",
        assign("greeting", '"Hi " & $uppercase(name) & ", total " & $string(total)'),
      ),
      node("show", "message", { text: "{{ greeting }}" }),
      node("done", "end"),
    ],
    edges: [
      edge("start", "next", "sum"),
      edge("sum", "next", "ask"),
      edge("ask", "next", "greet"),
      edge("greet", "next", "show"),
      edge("show", "next", "done"),
    ],
  };
}

/** A turn whose set-variable never ends by itself: recursion until the CPU budget stops it. */
function runawayFlow(): Record<string, unknown> {
  return {
    version: 1,
    id: "runaway",
    name: "Runaway",
    variables: [{ name: "x", type: "string" }],
    settings: { fallback: { message: "Could not compute" } },
    nodes: [
      { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
      {
        id: "set",
        kind: "set-variable",
        position: { x: 0, y: 0 },
        data: {
          assignments: [
            {
              variable: "x",
              value: { type: "expression", expression: "($f := function($n) { $f($n + 1) }; $f(0))" },
            },
          ],
        },
      },
      { id: "done", kind: "end", position: { x: 0, y: 0 }, data: {} },
    ],
    edges: [
      { id: "a", source: "start", sourceHandle: "next", target: "set" },
      { id: "b", source: "set", sourceHandle: "next", target: "done" },
    ],
  };
}

const pizzaScript: current.TurnEventInput[] = [
  { type: "conversation.start" },
  { type: "user.text", text: "Ada" },
  { type: "user.text", text: "3" },
  { type: "user.text", text: "(555) 123-4567" },
];
const expressionScript: current.TurnEventInput[] = [
  { type: "conversation.start" },
  { type: "user.text", text: "Ada" },
];

/** Runs one conversation through `script`, persisting the snapshot as JSON between turns. */
async function conversation(engine: Engine, machine: Machine, script: current.TurnEventInput[], id: string) {
  let snapshot: current.PersistedSnapshot | null = null;
  for (const event of script) {
    const result = await engine.runTurn({ machine, snapshot, event, conversation: { id } });
    snapshot = JSON.parse(JSON.stringify(result.snapshot)) as current.PersistedSnapshot;
  }
  return script.length;
}

/** Turns per CPU second over alternating rounds of each engine (median over rounds). */
async function turnsPerSecond(
  engines: [string, Engine][],
  flow: Record<string, unknown>,
  script: current.TurnEventInput[],
) {
  const machines = new Map(engines.map(([name, engine]) => [name, engine.compile(flow)]));
  const rates = new Map<string, number[]>(engines.map(([name]) => [name, []]));
  for (const [name, engine] of engines)
    for (let warm = 0; warm < 200; warm += 1)
      await conversation(engine, machines.get(name)!, script, `w${warm}`);
  for (let roundIndex = 0; roundIndex < 12; roundIndex += 1) {
    for (const [name, engine] of engines) {
      // Process CPU time: steadier than wall time when other processes share the machine.
      const started = process.cpuUsage();
      let turns = 0;
      for (let index = 0; index < 150; index += 1)
        turns += await conversation(engine, machines.get(name)!, script, `c${index}`);
      const used = process.cpuUsage(started);
      rates.get(name)!.push(turns / ((used.user + used.system) / 1e6));
    }
  }
  return Object.fromEntries([...rates].map(([name, list]) => [name, round(percentile(list, 0.5), 0)]));
}

const sleepUntil = (time: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));

/**
 * Latency (ms) of an unrelated tenant's turns issued every 10 ms, measured from the moment each
 * was due (so time spent waiting for a blocked event loop counts), idle and with 10 runaways.
 */
async function isolation(engine: Engine, runaways: number) {
  const pizza = engine.compile(pizzaFlow);
  const runaway = engine.compile(runawayFlow());
  // At most `count` turns and about 10 s: an engine whose runaways block the loop would take minutes.
  const measure = async (count: number) => {
    const samples: number[] = [];
    const start = performance.now();
    for (let index = 0; index < count && performance.now() - start < 10_000; index += 1) {
      const due = start + index * 10;
      await sleepUntil(due);
      await engine.runTurn({
        machine: pizza,
        snapshot: null,
        event: { type: "conversation.start" },
        conversation: { id: `u${index}` },
      });
      samples.push(performance.now() - due);
    }
    return samples;
  };
  await measure(50);
  const idle = await measure(200);
  let running = true;
  let ended = 0;
  const loops = Array.from({ length: runaways }, async (_, index) => {
    while (running) {
      // Each runaway turn is a new request: it arrives through the event loop, like HTTP would.
      await new Promise((resolve) => setImmediate(resolve));
      await engine.runTurn({
        machine: runaway,
        snapshot: null,
        event: { type: "conversation.start" },
        conversation: { id: `r${index}` },
      });
      ended += 1;
    }
  });
  const loaded = await measure(200);
  running = false;
  await Promise.all(loops);
  const idleP95 = percentile(idle, 0.95);
  const loadedP95 = percentile(loaded, 0.95);
  return {
    runaways,
    runawayTurnsEnded: ended,
    idleMs: summary(idle, 2),
    withRunawaysMs: summary(loaded, 2),
    p95Ratio: round(loadedP95 / idleP95, 2),
    target: 2,
    withinTarget: loadedP95 <= 2 * idleP95,
  };
}

const engines: [string, Engine][] = base
  ? [
      ["before", base],
      ["after", current],
    ]
  : [["after", current]];

const progress = (stage: string) => console.error(`bench/engine/expressions: ${stage}`);
progress("per-call cost");
const perCall: Record<string, unknown> = {};
for (const [name, source] of Object.entries(expressions))
  perCall[name] = await callCosts(engines, source, 2000);

progress("worker thread");
const workerMapping = await workerCosts(expressions.mapping, 2000);
progress("turns per second");
const pizzaRates = await turnsPerSecond(engines, pizzaFlow, pizzaScript);
const expressionRates = await turnsPerSecond(engines, expressionFlow(), expressionScript);
progress("isolation");
const isolationAfter = await isolation(current, 10);
progress("isolation (before)");
const isolationBefore = base ? await isolation(base, 10) : undefined;

console.log(
  JSON.stringify(
    {
      benchmark: "engine-expressions",
      node: process.version,
      before: basePath ?? null,
      perCallUs: perCall,
      workerThreadAlternative: { mapping: workerMapping },
      turnsPerSecond: { pizza: pizzaRates, expressionFlow: expressionRates },
      isolation: { after: isolationAfter, ...(isolationBefore ? { before: isolationBefore } : {}) },
    },
    null,
    2,
  ),
);
