import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ConversationPath, type FlowEdgeRef, nodeFunnel, pathOf } from "./turn-path";

const pizza = JSON.parse(
  readFileSync(new URL("../../../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
) as { nodes: { id: string; kind: string }[]; edges: FlowEdgeRef[] };
const endNodes = new Set(pizza.nodes.filter((node) => node.kind === "end").map((node) => node.id));
const NOW = new Date("2026-12-01T12:00:00Z");

/** A random walk through the pizza flow from start, cut after `length` steps (or at an end node). */
function walk(choices: readonly number[], length: number): string[] {
  const path = ["start"];
  for (const choice of choices.slice(0, length)) {
    const out = pizza.edges.filter((edge) => edge.source === path.at(-1));
    if (out.length === 0) break;
    path.push((out[choice % out.length] as FlowEdgeRef).target);
  }
  return path;
}

/** Splits a path into turns the way traces look: each turn after the first repeats the node it resumed, retries repeat a node. */
function asTurns(path: readonly string[], cuts: readonly number[], retries: readonly number[]): string[][] {
  const turns: string[][] = [];
  let current: string[] = [];
  path.forEach((node, index) => {
    current.push(node);
    if (retries.includes(index)) current.push(node);
    if (cuts.includes(index) && index < path.length - 1) {
      turns.push(current);
      current = [node];
    }
  });
  turns.push(current);
  return turns;
}

const conversationArb = fc
  .record({
    choices: fc.array(fc.nat(5), { minLength: 12, maxLength: 12 }),
    length: fc.nat(12),
    cuts: fc.array(fc.nat(12), { maxLength: 5 }),
    retries: fc.array(fc.nat(12), { maxLength: 3 }),
    status: fc.constantFrom("waiting", "handoff", "ended"),
    idleMinutes: fc.nat(120),
  })
  .map(({ choices, length, cuts, retries, status, idleMinutes }) => {
    const path = walk(choices, length);
    return {
      expected: path,
      conversation: {
        path: pathOf(asTurns(path, cuts, retries)),
        status,
        lastActivityAt: new Date(NOW.getTime() - idleMinutes * 60_000),
      } satisfies ConversationPath,
    };
  });

describe("node funnel", () => {
  it("keeps entered = sum(exits) + waiting + dropped for every node, and rebuilds each path from its turns", () => {
    fc.assert(
      fc.property(fc.array(conversationArb, { maxLength: 40 }), (conversations) => {
        for (const { expected, conversation } of conversations) expect(conversation.path).toEqual(expected);
        const funnel = nodeFunnel(
          conversations.map((c) => c.conversation),
          pizza.edges,
          endNodes,
          30 * 60_000,
          NOW,
        );
        let visits = 0;
        for (const row of funnel.nodes.values()) {
          const exits = Object.values(row.exits).reduce((sum, count) => sum + count, 0);
          expect(row.entered).toBe(exits + row.waiting + row.dropped);
          visits += row.entered;
        }
        expect(visits).toBe(conversations.reduce((sum, c) => sum + c.expected.length, 0));
        // Every step between two nodes took exactly one edge.
        const edgeCount = [...funnel.edges.values()].reduce((sum, count) => sum + count, 0);
        expect(edgeCount).toBe(conversations.reduce((sum, c) => sum + c.expected.length - 1, 0));
      }),
      { numRuns: 300 },
    );
  });
});
