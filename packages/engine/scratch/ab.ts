import { readFileSync } from "node:fs";
import { compile, runTurn } from "../src/index";
import { createRawPizzaMachine, rawTurn } from "../../../bench/engine/raw-pizza-machine";
const flow = JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));
const json = compile(flow);
const script: any[] = [{ type: "conversation.start" }, { type: "user.text", text: "Ada" }, { type: "user.text", text: "3" }, { type: "user.text", text: "(555) 123-4567" }];
const out = { messages: [] as any[] }; const raw = createRawPizzaMachine(out);
async function eng(n: number) { for (let i = 0; i < n; i++) { let s: any = null; for (const e of script) { const r = await runTurn({ machine: json, snapshot: s, event: e, conversation: { id: "c" + i } }); s = JSON.parse(JSON.stringify(r.snapshot)); } } }
async function rw(n: number) { for (let i = 0; i < n; i++) { let s: any = null; for (const e of script) s = rawTurn(raw, out, s, e).snapshot; await Promise.resolve(); } }
await eng(500); await rw(500);
const ratios: number[] = [];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let r = 0; r < 12; r++) {
  let t = cpu(); await eng(300); const e = cpu() - t;
  t = cpu(); await rw(300); const w = cpu() - t;
  ratios.push(e / w);
}
ratios.sort((a, b) => a - b);
console.log("median cpu ratio", ratios[6].toFixed(2), ratios.map((x) => x.toFixed(2)).join(" "));
