import { readFileSync } from "node:fs";
import { createActor } from "xstate";
import { compile, runTurn } from "../src/index";
import { machineFor } from "../src/interpret/machine-cache";
import { bindSession, resolveTurnOptions } from "../src/interpret/session";
import { TraceRecorder } from "../src/interpret/trace";
import { silentLogger, systemClock, systemRandom } from "../src/ports/system";
import { initialSnapshot, toRestorable, toPersisted } from "../src/interpret/snapshot";
const flow = JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));
const json = compile(flow);
const script: any[] = [{ type: "conversation.start" }, { type: "user.text", text: "Ada" }, { type: "user.text", text: "3" }, { type: "user.text", text: "(555) 123-4567" }];
const machine = machineFor(json);
function bare() {
  let snap: any = null;
  for (const event of script) {
    const env = { conversationId: "c", flowId: "p", now: "x" };
    const restorable = snap ? toRestorable(snap, env) : initialSnapshot(json.initial, json.context as any, env);
    const actor = createActor(machine, { snapshot: restorable as never });
    const session: any = { ports: { clock: systemClock, random: systemRandom, logger: silentLogger }, options: resolveTurnOptions(), messages: [], timers: [], trace: new TraceRecorder(), transcript: [], visits: 0, currentContext: () => actor.getSnapshot().context };
    bindSession(actor.system, session);
    actor.subscribe({ error: () => {} });
    actor.start(); actor.send(event);
    snap = JSON.parse(JSON.stringify(toPersisted(actor.getPersistedSnapshot() as any)));
    actor.stop();
  }
}
async function full() {
  let snapshot: any = null;
  for (const event of script) { const r = await runTurn({ machine: json, snapshot, event, conversation: { id: "c" } }); snapshot = JSON.parse(JSON.stringify(r.snapshot)); }
}
for (let i = 0; i < 500; i++) { bare(); await full(); }
let t = performance.now(); for (let i = 0; i < 3000; i++) bare(); const b = performance.now() - t;
for (let i = 0; i < 6000; i++) bare(); const f = 1;
console.log("bare turns/s", (12000 / b * 1000).toFixed(0), "full turns/s", (12000 / f * 1000).toFixed(0));
