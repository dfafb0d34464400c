import { readFileSync } from "node:fs";
import { compile, runTurn } from "../src/index";
import { createRawPizzaMachine, rawTurn } from "../../../bench/engine/raw-pizza-machine";
const flow = JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));
const json = compile(flow);
const stripped = JSON.parse(JSON.stringify(json));
for (const st of Object.values(stripped.states) as any[]) if (st.entry) st.entry = st.entry.filter((a: any) => a.type !== "enterNode");
stripped.version = "x";
const script: any[] = [{ type: "conversation.start" }, { type: "user.text", text: "Ada" }, { type: "user.text", text: "3" }, { type: "user.text", text: "(555) 123-4567" }];
const out = { messages: [] as any[] }; const raw = createRawPizzaMachine(out);
async function eng(n: number, m: any) { for (let i = 0; i < n; i++) { let s: any = null; for (const e of script) { const r = await runTurn({ machine: m, snapshot: s, event: e, conversation: { id: "c" + i } }); s = JSON.parse(JSON.stringify(r.snapshot)); } } }
async function rw(n: number) { for (let i = 0; i < n; i++) { let s: any = null; for (const e of script) s = rawTurn(raw, out, s, e).snapshot; await Promise.resolve(); } }
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
await eng(500, json); await eng(500, stripped); await rw(500);
const r1: number[] = [], r2: number[] = [];
for (let r = 0; r < 15; r++) {
  let t = cpu(); await eng(200, json); const a = cpu() - t;
  t = cpu(); await eng(200, stripped); const b = cpu() - t;
  t = cpu(); await rw(200); const w = cpu() - t;
  r1.push(a / w); r2.push(b / w);
}
const med = (x: number[]) => x.sort((a, b) => a - b)[Math.floor(x.length / 2)];
console.log("with enterNode", med(r1).toFixed(2), "without", med(r2).toFixed(2));
