import type { NodeKind } from "@parley/flow-schema";

/**
 * The colour of each node kind, by what it does (a Radix colour scale name): talking to the visitor
 * blue, logic amber, data violet, AI purple/pink, integrations green, people orange, flow control gray.
 * The canvas cards, the palette and the template previews use the same colours.
 */
export const kindColours: Readonly<Record<NodeKind, string>> = {
  start: "teal",
  message: "blue",
  ask: "cyan",
  condition: "amber",
  "set-variable": "violet",
  http: "green",
  llm: "purple",
  intent: "plum",
  knowledge: "pink",
  handoff: "orange",
  subflow: "indigo",
  jump: "gray",
  wait: "brown",
  "ab-split": "yellow",
  end: "gray",
};

/** The CSS colour of a kind (step 9 of its Radix scale; unknown kinds are gray). */
export const kindColour = (kind: string): string => `var(--${kindColours[kind as NodeKind] ?? "gray"}-9)`;
