import { readFileSync } from "node:fs";
import { compile, runTurn } from "../src/index";

const flow = JSON.parse(
  readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
);
const t0 = performance.now();
const machine = compile(flow);
console.log("compile ms", (performance.now() - t0).toFixed(2), "bytes", JSON.stringify(machine).length);
let snapshot = null;
const conversation = { id: "c1" };
for (const event of [
  { type: "conversation.start" },
  { type: "user.text", text: "Ada" },
  { type: "user.text", text: "3" },
  { type: "user.text", text: "not a phone" },
  { type: "user.text", text: "(555) 123-4567" },
] as const) {
  const r = await runTurn({ machine, snapshot, event, conversation });
  snapshot = r.snapshot;
  console.log(
    event,
    "=>",
    r.status,
    r.waitingFor,
    JSON.stringify(
      r.messages.map((m) => (m.type === "text" || m.type === "ask" ? `${m.type}:${m.text}` : m.type)),
    ),
  );
  console.log(
    "  nodes",
    r.trace.nodes.map((n) => n.nodeId).join(","),
    "vars",
    JSON.stringify(r.trace.variables),
    "snapshot bytes",
    JSON.stringify(r.snapshot).length,
  );
}
console.log(JSON.stringify(snapshot));
