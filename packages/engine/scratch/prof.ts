import { readFileSync } from "node:fs";
import { compile, runTurn } from "../src/index";
const flow = JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));
const machine = compile(flow);
const script: any[] = [{ type: "conversation.start" }, { type: "user.text", text: "Ada" }, { type: "user.text", text: "3" }, { type: "user.text", text: "(555) 123-4567" }];
const t = performance.now(); let n = 0;
for (let i = 0; i < 6000; i++) { let snapshot: any = null; for (const event of script) { const r = await runTurn({ machine, snapshot, event, conversation: { id: `c${i}` } }); snapshot = JSON.parse(JSON.stringify(r.snapshot)); n++; } }
console.log(n / ((performance.now() - t) / 1000));
