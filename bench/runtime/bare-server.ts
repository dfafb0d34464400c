/**
 * The ceiling: a bare Fastify route that does no work but answers a turn-sized JSON body, in its
 * own process like the runtime. Prints its URL on stdout once listening.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
const reply = {
  messages: [
    {
      type: "text",
      nodeId: "greeting",
      text: "Nice to meet you! Which size would you like?",
      format: "plain",
      source: "flow",
    },
    {
      type: "ask",
      nodeId: "ask-size",
      text: "Which size?",
      input: { kind: "choice", choices: [{ label: "Small", value: "small" }] },
      attempt: 0,
    },
  ],
  status: "waiting",
};
app.post("/turn", async () => reply);
const address = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${address}\n`);
