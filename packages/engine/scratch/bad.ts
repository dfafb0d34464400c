import { readFileSync } from "node:fs";
import { compile, runTurn } from "../src/index";

const flow = JSON.parse(
  readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
);
const pizza = compile(flow);
try {
  await runTurn({
    machine: { ...pizza, states: {}, version: "bogus" },
    snapshot: null,
    event: { type: "conversation.start" },
    conversation: { id: "x" },
  });
} catch (e) {
  console.log(e);
}
