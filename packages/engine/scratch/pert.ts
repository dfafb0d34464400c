import { readFileSync } from "node:fs";
import { compile, runTurn } from "../src/index";
import { createRawPizzaMachine, rawTurn } from "../../../bench/engine/raw-pizza-machine";
const flow = JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));
const json = compile(flow);
const script: any[] = [{ type: "conversation.start" }, { type: "user.text", text: "Ada" }, { type: "user.text", text: "3" }, { type: "user.text", text: "(555) 123-4567" }];
// collect snapshots for each step
const engSnaps: any[] = [null]; const rawSnaps: any[] = [null];
const out = { messages: [] as any[] }; const raw = createRawPizzaMachine(out);
for (const e of script) { const r = await runTurn({ machine: json, snapshot: engSnaps.at(-1), event: e, conversation: { id: "c" } }); engSnaps.push(JSON.parse(JSON.stringify(r.snapshot))); rawSnaps.push(rawTurn(raw, out, rawSnaps.at(-1), e).snapshot); }
for (let step = 0; step < 4; step++) {
  const N = 20000;
  for (let i = 0; i < 2000; i++) { await runTurn({ machine: json, snapshot: engSnaps[step], event: script[step], conversation: { id: "c" } }); rawTurn(raw, out, rawSnaps[step], script[step]); }
  let t = performance.now(); for (let i = 0; i < N; i++) await runTurn({ machine: json, snapshot: engSnaps[step], event: script[step], conversation: { id: "c" } }); const e = (performance.now() - t) / N * 1000;
  t = performance.now(); for (let i = 0; i < N; i++) rawTurn(raw, out, rawSnaps[step], script[step]); const r = (performance.now() - t) / N * 1000;
  console.log("step", step, "engine µs", e.toFixed(1), "raw µs", r.toFixed(1), "ratio", (e / r).toFixed(2));
}
