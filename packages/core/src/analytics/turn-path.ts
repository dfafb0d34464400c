/**
 * How a conversation's turns become a path through the flow, and a path becomes per-node figures.
 *
 * A turn's trace lists the nodes it passed through. A turn that resumes a waiting conversation starts
 * with the node it waited at (that visit began in an earlier turn), and an ask node that re-prompts
 * after an invalid answer appears twice in a row (the same visit). So a path is the traces glued
 * together with consecutive repeats collapsed: every element is one visit of a node.
 */

/** A node the turn passed through (the engine trace's node visit, only the fields used here). */
export interface TraceNode {
  nodeId: string;
  kind?: string;
}

/** The nodes of `nodes` with consecutive repeats collapsed (a retry is the same visit). */
export function collapseRepeats(nodes: readonly string[]): string[] {
  const out: string[] = [];
  for (const node of nodes) if (out.at(-1) !== node) out.push(node);
  return out;
}

/**
 * The nodes a turn newly entered: its trace with repeats collapsed, minus the first node when the
 * turn resumed a conversation that was already waiting there.
 */
export function enteredNodes(trace: readonly TraceNode[], resumed: boolean): string[] {
  const path = collapseRepeats(trace.map((node) => node.nodeId));
  return resumed ? path.slice(1) : path;
}

/** Whether a turn's trace ends at an end node (the conversation completed the flow). */
export function reachedEndNode(trace: readonly TraceNode[] | undefined): boolean {
  return trace?.at(-1)?.kind === "end";
}

/** The path of a conversation from its turns' node lists, oldest turn first. */
export function pathOf(turns: readonly (readonly string[])[]): string[] {
  const path: string[] = [];
  for (const nodes of turns) for (const node of nodes) if (path.at(-1) !== node) path.push(node);
  return path;
}

/** A flow edge, as the flow document stores it. */
export interface FlowEdgeRef {
  id: string;
  source: string;
  sourceHandle?: string | undefined;
  target: string;
}

/** One conversation of the cohort: its path, its status and when it was last active. */
export interface ConversationPath {
  path: readonly string[];
  status: string;
  lastActivityAt: Date;
}

/** Per-node figures of a set of conversations (see {@link nodeFunnel}). */
export interface NodeFunnel {
  nodes: Map<string, { entered: number; exits: Record<string, number>; waiting: number; dropped: number }>;
  edges: Map<string, number>;
}

/**
 * Counts, per node, the visits (`entered`) and how each visit ended: left by a handle (the handle of
 * the edge to the next node of the path; `end` when the conversation ended at an end node, `closed`
 * when it was ended elsewhere, `handoff` when it is with a human), or still resting there: `waiting`
 * when active within `timeoutMs` of `now`, else `dropped`. So entered = sum(exits) + waiting + dropped
 * for every node, by construction. Also counts how many visits took each edge.
 */
export function nodeFunnel(
  conversations: readonly ConversationPath[],
  edges: readonly FlowEdgeRef[],
  endNodes: ReadonlySet<string>,
  timeoutMs: number,
  now: Date,
): NodeFunnel {
  const bySourceTarget = new Map<string, FlowEdgeRef>();
  for (const edge of edges) {
    const key = `${edge.source}\u0000${edge.target}`;
    if (!bySourceTarget.has(key)) bySourceTarget.set(key, edge);
  }
  const funnel: NodeFunnel = { nodes: new Map(), edges: new Map() };
  const rowOf = (nodeId: string) => {
    let row = funnel.nodes.get(nodeId);
    if (!row) {
      row = { entered: 0, exits: {}, waiting: 0, dropped: 0 };
      funnel.nodes.set(nodeId, row);
    }
    return row;
  };
  const exit = (nodeId: string, handle: string) => {
    const row = rowOf(nodeId);
    row.exits[handle] = (row.exits[handle] ?? 0) + 1;
  };
  for (const conversation of conversations) {
    const { path } = conversation;
    path.forEach((nodeId, index) => {
      rowOf(nodeId).entered += 1;
      const next = path[index + 1];
      if (next !== undefined) {
        const edge = bySourceTarget.get(`${nodeId}\u0000${next}`);
        // No edge between them: a jump, a subflow return or a takeover moved the conversation.
        exit(nodeId, edge ? (edge.sourceHandle ?? "next") : "other");
        if (edge) funnel.edges.set(edge.id, (funnel.edges.get(edge.id) ?? 0) + 1);
        return;
      }
      if (conversation.status === "ended") exit(nodeId, endNodes.has(nodeId) ? "end" : "closed");
      else if (conversation.status === "handoff") exit(nodeId, "handoff");
      else if (now.getTime() - conversation.lastActivityAt.getTime() > timeoutMs) rowOf(nodeId).dropped += 1;
      else rowOf(nodeId).waiting += 1;
    });
  }
  return funnel;
}
