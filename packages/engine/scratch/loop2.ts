import { createActor, createMachine } from "xstate";

let n = 0;
const m = createMachine({
  initial: "a",
  states: {
    a: {
      entry: () => {
        n++;
        if (n > 50) throw new Error("budget");
      },
      always: [{ target: "a", reenter: true }],
    },
  },
} as any);
const actor = createActor(m);
actor.subscribe({ error: (e) => console.log("error cb", (e as Error).message) });
actor.start();
console.log(actor.getSnapshot().status, n);
