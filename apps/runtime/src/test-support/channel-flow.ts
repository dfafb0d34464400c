import { flowEdge, flowNode } from "./flow-document";

/**
 * A flow for channel tests: asks a colour (buttons; the answer is kept on the contact), says it
 * back in markdown, asks for anything else, says bye and ends.
 */
export const colourFlow = {
  version: 1,
  id: "colours",
  name: "Colours",
  variables: [
    { name: "colour", type: "string", scope: "contact" },
    { name: "note", type: "string" },
  ],
  nodes: [
    flowNode("start", "start", {}),
    flowNode("pick", "ask", {
      prompt: "Pick a colour",
      input: {
        type: "choice",
        options: [
          { id: "r", label: "Red", value: "red" },
          { id: "b", label: "Blue", value: "blue" },
        ],
      },
      saveTo: "colour",
    }),
    flowNode("said", "message", { text: "You picked {{ colour }}" }),
    flowNode("more", "ask", { prompt: "Anything else?", input: { type: "text" }, saveTo: "note" }),
    flowNode("bye", "message", { text: "Bye" }),
    flowNode("end", "end", {}),
  ],
  edges: [
    flowEdge("start", "next", "pick"),
    flowEdge("pick", "next", "said"),
    flowEdge("pick", "error", "end"),
    flowEdge("said", "next", "more"),
    flowEdge("more", "next", "bye"),
    flowEdge("more", "error", "end"),
    flowEdge("bye", "next", "end"),
  ],
};

/** A flow that hands every conversation to an agent at once (agent replies go out on the channel). */
export const handoffFlow = {
  version: 1,
  id: "to-agent",
  name: "To an agent",
  variables: [],
  nodes: [
    flowNode("start", "start", {}),
    flowNode("handoff", "handoff", { message: "Connecting you to a person" }),
    flowNode("end", "end", {}),
  ],
  edges: [flowEdge("start", "next", "handoff"), flowEdge("handoff", "next", "end")],
};
