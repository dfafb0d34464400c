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

/** How a conversation's path ended: it ended, it is with a human, or it is still open (waiting for input). */
export type PathEnd = "ended" | "handoff" | "open";

/**
 * A cohort's paths reduced to counts, which is what the rollups store: how many visits went from a node
 * to the next one (`steps`, keyed `source + STEP_SEPARATOR + target`), how many paths ended at a node
 * per way they ended (`lasts`), and of the open ones how many were active within the abandonment
 * timeout (`recentOpen`: those are waiting, the rest dropped).
 */
export interface PathCounts {
  steps: Map<string, number>;
  lasts: Map<string, Record<PathEnd, number>>;
  recentOpen: Map<string, number>;
}

/** Separates source and target in a step key (a control character: node ids never contain it). */
export const STEP_SEPARATOR = "\u001f";

/** How a conversation in `status` ended its path (the statuses besides ended and handoff wait for input). */
export function pathEndOf(status: string): PathEnd {
  return status === "ended" || status === "handoff" ? status : "open";
}

/** Empty {@link PathCounts}. */
export function emptyPathCounts(): PathCounts {
  return { steps: new Map(), lasts: new Map(), recentOpen: new Map() };
}

/** Adds `count` paths ending at `nodeId` the way `end` says to `counts`. */
export function addLast(counts: PathCounts, nodeId: string, end: PathEnd, count: number): void {
  const row = counts.lasts.get(nodeId) ?? { ended: 0, handoff: 0, open: 0 };
  row[end] += count;
  counts.lasts.set(nodeId, row);
}

/**
 * Reduces conversations to {@link PathCounts}: an open conversation counts as recent when it was active
 * within `timeoutMs` of `now`.
 */
export function countPaths(
  conversations: readonly ConversationPath[],
  timeoutMs: number,
  now: Date,
): PathCounts {
  const counts = emptyPathCounts();
  for (const { path, status, lastActivityAt } of conversations) {
    path.forEach((nodeId, index) => {
      const next = path[index + 1];
      if (next === undefined) return;
      const key = `${nodeId}${STEP_SEPARATOR}${next}`;
      counts.steps.set(key, (counts.steps.get(key) ?? 0) + 1);
    });
    const last = path.at(-1);
    if (last === undefined) continue;
    const end = pathEndOf(status);
    addLast(counts, last, end, 1);
    if (end === "open" && now.getTime() - lastActivityAt.getTime() <= timeoutMs)
      counts.recentOpen.set(last, (counts.recentOpen.get(last) ?? 0) + 1);
  }
  return counts;
}

/**
 * Per-node figures from {@link PathCounts}: per node the visits (`entered`) and how each visit ended:
 * left by a handle (the handle of the flow edge from the node to the next one of the path, `other`
 * when no edge joins them: a jump, a subflow return or a takeover), `end` when the conversation ended
 * at an end node, `closed` when it was ended elsewhere, `handoff` when it is with a human, or still
 * resting there: `waiting` when active within the timeout, else `dropped`. So entered = sum(exits) +
 * waiting + dropped for every node, by construction. Also counts how many visits took each edge.
 */
export function funnelOfCounts(
  counts: PathCounts,
  edges: readonly FlowEdgeRef[],
  endNodes: ReadonlySet<string>,
): NodeFunnel {
  const bySourceTarget = new Map<string, FlowEdgeRef>();
  for (const edge of edges) {
    const key = `${edge.source}${STEP_SEPARATOR}${edge.target}`;
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
  const exit = (nodeId: string, handle: string, count: number) => {
    const row = rowOf(nodeId);
    row.entered += count;
    row.exits[handle] = (row.exits[handle] ?? 0) + count;
  };
  for (const [key, count] of counts.steps) {
    if (count === 0) continue;
    const source = key.slice(0, key.indexOf(STEP_SEPARATOR));
    const edge = bySourceTarget.get(key);
    exit(source, edge ? (edge.sourceHandle ?? "next") : "other", count);
    if (edge) funnel.edges.set(edge.id, (funnel.edges.get(edge.id) ?? 0) + count);
  }
  for (const [nodeId, last] of counts.lasts) {
    if (last.ended > 0) exit(nodeId, endNodes.has(nodeId) ? "end" : "closed", last.ended);
    if (last.handoff > 0) exit(nodeId, "handoff", last.handoff);
    if (last.open > 0) {
      const row = rowOf(nodeId);
      const waiting = Math.min(counts.recentOpen.get(nodeId) ?? 0, last.open);
      row.entered += last.open;
      row.waiting += waiting;
      row.dropped += last.open - waiting;
    }
  }
  return funnel;
}

/**
 * Per-node figures of a set of conversations (see {@link funnelOfCounts}): an open conversation is
 * `waiting` when active within `timeoutMs` of `now`, else `dropped`.
 */
export function nodeFunnel(
  conversations: readonly ConversationPath[],
  edges: readonly FlowEdgeRef[],
  endNodes: ReadonlySet<string>,
  timeoutMs: number,
  now: Date,
): NodeFunnel {
  return funnelOfCounts(countPaths(conversations, timeoutMs, now), edges, endNodes);
}
