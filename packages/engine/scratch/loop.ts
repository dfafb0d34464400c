import { compile, runTurn } from "../src/index";
import { inlineFlow } from "../test/support";

const flow = inlineFlow({
  nodes: [
    { id: "start", kind: "start" },
    {
      id: "n7",
      kind: "condition",
      data: { groups: [{ id: "big", rules: [{ variable: "count", operator: "gt", value: 3 }] }] },
    },
  ],
  edges: [
    ["start", "next", "n7"],
    ["n7", "else", "n7"],
  ],
  variables: [{ name: "count", type: "number", default: 0 }],
});
const machine = compile(flow);
console.log(JSON.stringify(machine.states.n7));
const t = setTimeout(() => {
  console.log("HUNG");
  process.exit(1);
}, 3000);
const r = await runTurn({
  machine,
  snapshot: null,
  event: { type: "conversation.start" },
  conversation: { id: "x" },
  options: { maxNodeVisits: 200 },
});
clearTimeout(t);
console.log(r.status, r.trace.notes, r.trace.nodes.length);
