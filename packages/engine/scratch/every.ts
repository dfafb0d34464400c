import { readFileSync } from "node:fs";
import { compile, runTurn } from "../src/index";
import { createMemoryHttp } from "../src/offline/http";
import { createMemoryKnowledge } from "../src/offline/knowledge";
import { createOfflineLlm } from "../src/offline/llm";
import { createOfflineNlu } from "../src/offline/nlu";

const load = (n: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/flows/${n}.json`, import.meta.url), "utf8"));
const machine = compile(load("every-node-kind"), { subflows: { "collect-email": load("collect-email") } });
console.log("bytes", JSON.stringify(machine).length);
const ports = {
  nlu: createOfflineNlu(),
  llm: createOfflineLlm(),
  knowledge: createMemoryKnowledge([
    {
      title: "Pricing",
      text: "Parley pricing works per conversation. The first 1000 conversations are free.",
    },
  ]),
  http: createMemoryHttp([
    { method: "GET", url: "https://api.example.com/customers*", body: { tier: "gold" } },
  ]),
};
let snapshot = null;
let timers: any[] = [];
const conversation = { id: process.argv[2] ?? "c1" };
const script: any[] = [
  { type: "conversation.start" },
  { type: "user.text", text: "Ada" },
  "timer",
  { type: "user.text", text: "ada@example.com" },
  { type: "user.text", text: "how does pricing work" },
];
for (let event of script) {
  if (event === "timer") event = { type: "timer.fired", timerId: timers[0]?.timerId };
  const r = await runTurn({
    machine,
    snapshot,
    event,
    conversation,
    ports,
    onStream: (c) => process.stdout.write(`[${c.token}]`),
  });
  snapshot = r.snapshot;
  timers = r.timers;
  console.log("\n", JSON.stringify(event), "=>", r.status, r.waitingFor, JSON.stringify(r.timers));
  for (const m of r.messages) console.log("   ", JSON.stringify(m));
  console.log(
    "  nodes",
    r.trace.nodes.map((n) => n.nodeId).join(","),
    "\n  notes",
    JSON.stringify(r.trace.notes),
    "\n  effects",
    JSON.stringify(r.trace.effects),
  );
  console.log("  vars", JSON.stringify(r.variables), JSON.stringify(r.snapshot).length);
}
