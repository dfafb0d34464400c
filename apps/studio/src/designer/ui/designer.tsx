"use client";

import { checkFlow, type FlowDocument, type NodeKind, parseFlowDocument } from "@parley/flow-schema";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type Node,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from "@xyflow/react";
import Link from "next/link";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { useCan } from "../../client/session";
import { describeError, useTRPC, useTRPCClient } from "../../client/trpc";
import { issuesOf } from "../../components/field";
import { variableSuggestions } from "../core/autocomplete";
import {
  buildCanvasEdges,
  buildCanvasNodes,
  type CanvasEdge,
  type CanvasNode,
  traversedEdges,
} from "../core/canvas-model";
import { diffFlows } from "../core/diff";
import {
  addNode,
  connect,
  copySelection,
  EditRefused,
  type FlowClipboard,
  moveNodes,
  pasteClipboard,
  removeElements,
  removeVariable,
  updateNode,
  upsertVariable,
} from "../core/document-ops";
import {
  canRedo,
  canUndo,
  createHistory,
  type History,
  pushHistory,
  redo,
  replacePresent,
  undo,
} from "../core/history";
import { layeredLayout } from "../core/layout";
import { mergeFlows } from "../core/merge";
import { FlowNodeView } from "./flow-node";
import { Inspector } from "./inspector";
import { PALETTE_MIME, Palette } from "./palette";
import { ProblemsPanel } from "./problems-panel";
import { TestChat, type TurnHighlight } from "./test-chat";
import { useAutosave } from "./use-autosave";
import { VariablesPanel } from "./variables-panel";
import { type ComparedVersion, DiffSummary, VersionsPanel } from "./versions-panel";

const nodeTypes = { flow: FlowNodeView };
/** Typing in one field within this window is one undo step. */
const COALESCE_MS = 1_000;

/** What the designer is opened with. */
export interface DesignerProps {
  readonly botId: string;
  readonly flowId: string;
  readonly flowName: string;
  readonly document: FlowDocument;
  readonly revision: number;
  readonly publishedVersionId: string | null;
}

type Tab = "inspector" | "variables" | "problems" | "test" | "versions";

/** The flow designer: canvas, palette, inspector and side panels, wired to autosave and the API. */
export function Designer(props: DesignerProps) {
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  );
}

function DesignerInner({ botId, flowId, flowName, document: initialDoc, revision }: DesignerProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const flow = useReactFlow();
  const canEdit = useCan("flows:write");
  const canPublish = useCan("flows:publish");

  const [history, setHistory] = useState<History<FlowDocument>>(() => createHistory(initialDoc));
  const doc = history.present;
  const lastCommit = useRef<{ key: string; at: number } | null>(null);
  const commit = useCallback((next: FlowDocument, coalesceKey?: string) => {
    const now = Date.now();
    const coalesce =
      coalesceKey && lastCommit.current?.key === coalesceKey && now - lastCommit.current.at < COALESCE_MS;
    lastCommit.current = coalesceKey ? { key: coalesceKey, at: now } : null;
    setHistory((h) => (coalesce ? replacePresent(h, next) : pushHistory(h, next)));
  }, []);

  const autosave = useAutosave(flowId, doc, { doc: initialDoc, revision }, canEdit);
  const [toast, setToast] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("inspector");
  const [highlight, setHighlight] = useState<TurnHighlight | null>(null);
  const [compare, setCompare] = useState<ComparedVersion | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);

  // Validation runs on a deferred copy so typing and dragging stay smooth on large flows.
  const deferredDoc = useDeferredValue(doc);
  const checked = useMemo(() => checkFlow(deferredDoc), [deferredDoc]);
  const problems = checked.problems;
  // The diff follows the draft: edits (and a rollback) show up in it at once.
  const compareDiff = useMemo(
    () => (compare ? { version: compare.version, diff: diffFlows(compare.base, deferredDoc) } : null),
    [compare, deferredDoc],
  );
  const structurallyValid = checked.flow !== null;

  const decorations = useMemo(
    () => ({
      problems,
      activeNodeId: highlight?.activeNodeId ?? null,
      visitedNodeIds: new Set(highlight?.visited ?? []),
      ...(compareDiff ? { changes: compareDiff.diff.nodes } : {}),
    }),
    [problems, highlight, compareDiff],
  );
  const [nodes, setNodes] = useState<CanvasNode[]>(() => buildCanvasNodes(initialDoc, { problems: [] }));
  const [edges, setEdges] = useState<CanvasEdge[]>(() => buildCanvasEdges(initialDoc));
  const selectNext = useRef<Set<string> | null>(null);
  const traversed = useMemo(() => traversedEdges(doc, highlight?.visited ?? []), [doc, highlight]);
  useEffect(() => {
    setNodes((previous) => {
      const built = buildCanvasNodes(doc, decorations, previous);
      const select = selectNext.current;
      if (!select) return built;
      selectNext.current = null;
      return built.map((node) =>
        select.has(node.id) !== (node.selected ?? false) ? { ...node, selected: select.has(node.id) } : node,
      );
    });
  }, [doc, decorations]);
  useEffect(() => setEdges((previous) => buildCanvasEdges(doc, previous, traversed)), [doc, traversed]);

  const selectedIds = useMemo(() => nodes.filter((n) => n.selected).map((n) => n.id), [nodes]);
  const selectedNodeId = selectedIds.length === 1 ? selectedIds[0] : undefined;
  useEffect(() => {
    if (selectedNodeId)
      setTab((t) => (t === "variables" || t === "problems" || t === "versions" ? t : "inspector"));
  }, [selectedNodeId]);

  const attempt = useCallback((edit: () => void) => {
    try {
      edit();
    } catch (error) {
      if (error instanceof EditRefused) setToast(error.message);
      else throw error;
    }
  }, []);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const kept = changes.filter((c) => c.type !== "remove");
    setNodes(
      (current) =>
        applyNodeChanges(kept as NodeChange<Node>[], current as unknown as Node[]) as unknown as CanvasNode[],
    );
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const kept = changes.filter((c) => c.type !== "remove");
    setEdges(
      (current) =>
        applyEdgeChanges(kept as EdgeChange<Edge>[], current as unknown as Edge[]) as unknown as CanvasEdge[],
    );
  }, []);
  const onNodeDragStop = useCallback(
    (_event: unknown, _node: Node, dragged: Node[]) => {
      if (!canEdit) return;
      commit(moveNodes(doc, new Map(dragged.map((n) => [n.id, n.position]))));
    },
    [doc, commit, canEdit],
  );
  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: Node[]; edges: Edge[] }) => {
      if (!canEdit) return;
      commit(removeElements(doc, { nodeIds: gone.map((n) => n.id), edgeIds: cut.map((e) => e.id) }));
    },
    [doc, commit, canEdit],
  );
  const onConnect = useCallback(
    (connection: Connection) => {
      if (!canEdit || !connection.sourceHandle) return;
      const handle = connection.sourceHandle;
      attempt(() =>
        commit(
          connect(doc, { source: connection.source, sourceHandle: handle, target: connection.target }).doc,
        ),
      );
    },
    [doc, commit, attempt, canEdit],
  );
  const addAt = useCallback(
    (kind: NodeKind, position: { x: number; y: number }) =>
      attempt(() => {
        const added = addNode(doc, kind, position);
        selectNext.current = new Set([added.nodeId]);
        commit(added.doc);
      }),
    [doc, commit, attempt],
  );
  const onDrop = useCallback(
    (event: React.DragEvent) => {
      event.preventDefault();
      const kind = event.dataTransfer.getData(PALETTE_MIME) as NodeKind;
      if (!kind || !canEdit) return;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addAt(kind, { x: position.x - 90, y: position.y - 20 });
    },
    [flow, addAt, canEdit],
  );

  const clipboard = useRef<FlowClipboard | null>(null);
  const focusNode = useCallback(
    (nodeId: string) => {
      const node = doc.nodes.find((n) => n.id === nodeId);
      if (!node) return;
      setNodes((current) =>
        current.map((n) => (n.selected !== (n.id === nodeId) ? { ...n, selected: n.id === nodeId } : n)),
      );
      void flow.setCenter(node.position.x + 90, node.position.y + 40, { zoom: 1.2, duration: 300 });
      setTab("inspector");
    },
    [doc, flow],
  );

  const doUndo = useCallback(() => setHistory(undo), []);
  const doRedo = useCallback(() => setHistory(redo), []);
  const autoLayout = useCallback(() => {
    commit(moveNodes(doc, layeredLayout(doc)));
    setTimeout(() => void flow.fitView({ duration: 300 }), 50);
  }, [doc, commit, flow]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest?.("input, textarea, select, [contenteditable], .modal")) return;
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey && canEdit) doUndo();
      else if ((key === "z" && event.shiftKey) || key === "y") canEdit && doRedo();
      else if (key === "c") clipboard.current = copySelection(doc, selectedIds);
      else if (key === "v" && clipboard.current && canEdit) {
        const pasted = pasteClipboard(doc, clipboard.current);
        selectNext.current = new Set(pasted.nodeIds);
        commit(pasted.doc);
      } else if (key === "a") {
        setNodes((current) => current.map((n) => (n.selected ? n : { ...n, selected: true })));
      } else return;
      event.preventDefault();
    },
    [doc, selectedIds, commit, doUndo, doRedo, canEdit],
  );

  // Shortcuts on the whole window: focus may be on the body after the focused node was deleted or undone.
  useEffect(() => {
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onKeyDown]);

  const suggestions = useMemo(() => variableSuggestions(doc), [doc]);

  // Conflict resolution: reload theirs, merge mine onto theirs, or overwrite theirs.
  const resolveConflict = async (how: "reload" | "merge" | "overwrite") => {
    const theirs = await client.flows.get.query({ flowId });
    const theirsDoc = theirs.draft as unknown as FlowDocument;
    const base = autosave.saved.current.doc;
    if (how === "reload") {
      autosave.rebase({ doc: theirsDoc, revision: theirs.draftRevision });
      setHistory(createHistory(theirsDoc));
    } else if (how === "merge") {
      const merged = mergeFlows(base, doc, theirsDoc);
      autosave.rebase({ doc: theirsDoc, revision: theirs.draftRevision });
      commit(merged.doc);
      if (merged.conflicts.length > 0)
        setToast(`Merged. Both of you changed: ${merged.conflicts.join(", ")}; your version was kept.`);
    } else {
      autosave.rebase({ doc: theirsDoc, revision: theirs.draftRevision });
      await autosave.flush();
    }
  };

  const publish = useMutation(
    trpc.flows.publish.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() }),
    }),
  );
  const [note, setNote] = useState("");
  const [publishError, setPublishError] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | null>(null);

  const importFile = async (file: File) => {
    try {
      const parsed = parseFlowDocument(JSON.parse(await file.text()));
      if (!parsed.ok) {
        setToast(`Not imported: ${parsed.problems.map((p) => p.message).join("; ")}`);
        return;
      }
      commit({ ...parsed.flow, id: doc.id });
      setTimeout(() => void flow.fitView(), 50);
    } catch (error) {
      setToast(`Not imported: ${(error as Error).message}`);
    }
  };
  const exportFile = () => {
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: "application/json" }),
    );
    const link = Object.assign(window.document.createElement("a"), { href: url, download: `${doc.id}.json` });
    link.click();
    URL.revokeObjectURL(url);
  };

  const save = autosave.state;
  const saveLabel: Record<string, string> = {
    saved: "All changes saved",
    pending: "Unsaved changes…",
    saving: "Saving…",
    invalid: "Not saved",
    conflict: "Save conflict",
    error: "Save failed",
  };

  return (
    <div className="designer">
      <header className="designer-top">
        <Link href={`/bots/${botId}`}>←</Link>
        <b>{flowName}</b>
        <span
          className={`save-state ${save.status}`}
          data-testid="save-state"
          title={"message" in save ? save.message : ""}
        >
          {saveLabel[save.status]}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="small"
          onClick={doUndo}
          disabled={!canUndo(history) || !canEdit}
          title="Undo (Ctrl+Z)"
        >
          Undo
        </button>
        <button
          type="button"
          className="small"
          onClick={doRedo}
          disabled={!canRedo(history) || !canEdit}
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </button>
        <button type="button" className="small" onClick={autoLayout} disabled={!canEdit}>
          Auto-layout
        </button>
        <button type="button" className="small" onClick={() => void flow.fitView({ duration: 300 })}>
          Fit view
        </button>
        <button type="button" className="small" onClick={exportFile}>
          Export JSON
        </button>
        {canEdit && (
          <label className="button small" style={{ margin: 0, fontWeight: 400 }}>
            Import JSON
            <input
              type="file"
              accept=".json,application/json"
              hidden
              onChange={(e) => e.target.files?.[0] && importFile(e.target.files[0])}
            />
          </label>
        )}
        {canPublish && (
          <button
            type="button"
            className="small primary"
            onClick={() => setPublishOpen(true)}
            data-testid="publish-open"
          >
            Publish
          </button>
        )}
      </header>
      {save.status === "conflict" && (
        <div className="banner error conflict" role="alert" data-testid="conflict-banner">
          Someone else saved this flow while you were editing, so your last changes are not saved.{" "}
          {save.message}
          <div className="row" style={{ marginTop: 6 }}>
            <button type="button" className="small" onClick={() => resolveConflict("reload")}>
              Reload theirs (drop my changes)
            </button>
            <button type="button" className="small primary" onClick={() => resolveConflict("merge")}>
              Merge my changes into theirs
            </button>
            <button type="button" className="small danger" onClick={() => resolveConflict("overwrite")}>
              Overwrite with mine
            </button>
          </div>
        </div>
      )}
      {toast && (
        <div className="banner" role="status">
          {toast}{" "}
          <button type="button" className="small" onClick={() => setToast(null)}>
            OK
          </button>
        </div>
      )}
      {compareDiff && (
        <div className="banner">
          <DiffSummary version={compareDiff.version} diff={compareDiff.diff} />{" "}
          <button type="button" className="small" onClick={() => setCompare(null)}>
            Close diff
          </button>
        </div>
      )}
      <div className="designer-body">
        {canEdit && (
          <Palette
            onAdd={(kind) =>
              addAt(kind, flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 }))
            }
            disabled={!canEdit}
          />
        )}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target of palette drags */}
        <div className="canvas" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="canvas">
          <ReactFlow
            nodes={nodes as unknown as Node[]}
            edges={edges as unknown as Edge[]}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onNodeDragStop={onNodeDragStop}
            onConnect={onConnect}
            onDelete={onDelete}
            deleteKeyCode={canEdit ? ["Delete", "Backspace"] : null}
            multiSelectionKeyCode={["Shift", "Meta", "Control"]}
            nodesDraggable={canEdit}
            nodesConnectable={canEdit}
            onlyRenderVisibleElements={doc.nodes.length > 150}
            minZoom={0.1}
            fitView
            fitViewOptions={{ maxZoom: 1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable nodeStrokeWidth={3} />
          </ReactFlow>
        </div>
        <aside className="side">
          <div className="tabs" role="tablist">
            {(
              [
                ["inspector", "Node"],
                ["variables", `Variables (${doc.variables.length})`],
                ["problems", `Problems (${problems.length})`],
                ["test", "Test chat"],
                ["versions", "Versions"],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={tab === id ? "tab active" : "tab"}
                onClick={() => setTab(id)}
                data-testid={`tab-${id}`}
              >
                {label}
              </button>
            ))}
          </div>
          {tab === "inspector" &&
            (selectedNodeId ? (
              <Inspector
                doc={doc}
                nodeId={selectedNodeId}
                problems={problems}
                suggestions={suggestions}
                readOnly={!canEdit}
                onChange={(patch, key) => commit(updateNode(doc, selectedNodeId, patch), key)}
              />
            ) : (
              <p className="muted side-section">
                {selectedIds.length > 1
                  ? `${selectedIds.length} nodes selected (Ctrl+C to copy, Delete to remove).`
                  : "Select a node to edit its settings. Drag kinds from the palette to add nodes; drag from an output to a node to connect."}
              </p>
            ))}
          {tab === "variables" && (
            <VariablesPanel
              doc={doc}
              readOnly={!canEdit}
              onUpsert={(variable, previous) => commit(upsertVariable(doc, variable, previous))}
              onRemove={(name) => commit(removeVariable(doc, name))}
            />
          )}
          {tab === "problems" && <ProblemsPanel problems={problems} onFocus={focusNode} />}
          {tab === "test" && (
            <TestChat botId={botId} doc={doc} canRun={structurallyValid} onHighlight={setHighlight} />
          )}
          {tab === "versions" && (
            <VersionsPanel
              flowId={flowId}
              canPublish={canPublish}
              expectedRevision={autosave.saved.current.revision}
              comparing={compare?.version ?? null}
              onCompare={setCompare}
              onRolledBack={async () => {
                const fresh = await client.flows.get.query({ flowId });
                const freshDoc = fresh.draft as unknown as FlowDocument;
                autosave.rebase({ doc: freshDoc, revision: fresh.draftRevision });
                setHistory(createHistory(freshDoc));
                setToast("Rolled back: that version is live again and is now the draft.");
              }}
            />
          )}
        </aside>
      </div>
      {publishOpen && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-label="Publish">
            <h2>Publish {flowName}</h2>
            {problems.length > 0 ? (
              <p className="error">
                This flow has {problems.length} problem{problems.length === 1 ? "" : "s"}; fix{" "}
                {problems.length === 1 ? "it" : "them"} before publishing.{" "}
                <button
                  type="button"
                  className="small"
                  onClick={() => {
                    setPublishOpen(false);
                    setTab("problems");
                  }}
                >
                  Show the problems
                </button>
              </p>
            ) : (
              <p className="muted">
                New conversations will start on the new version; running ones keep theirs.
              </p>
            )}
            <label htmlFor="publish-note">Note (what changed)</label>
            <textarea
              id="publish-note"
              value={note}
              maxLength={2_000}
              onChange={(e) => {
                setNote(e.target.value);
                setNoteError(null);
              }}
              aria-invalid={noteError !== null}
              aria-describedby={noteError ? "publish-note-error" : undefined}
            />
            {noteError && (
              <div className="field-error" id="publish-note-error" role="alert">
                {noteError}
              </div>
            )}
            {publishError && <div className="banner error">{publishError}</div>}
            <p className="row">
              <button
                type="button"
                className="primary"
                data-testid="publish-confirm"
                disabled={problems.length > 0 || publish.isPending}
                onClick={async () => {
                  setPublishError(null);
                  setNoteError(null);
                  if (!(await autosave.flush())) {
                    setPublishError("The draft could not be saved; resolve that first.");
                    return;
                  }
                  try {
                    const version = await publish.mutateAsync({ flowId, note });
                    setPublishOpen(false);
                    setNote("");
                    setToast(`Published version ${version.version}.`);
                  } catch (error) {
                    const noteProblem = issuesOf(error).note;
                    if (noteProblem) setNoteError(noteProblem);
                    else setPublishError(describeError(error).message);
                  }
                }}
              >
                Publish
              </button>
              <button type="button" onClick={() => setPublishOpen(false)}>
                Cancel
              </button>
            </p>
          </div>
        </div>
      )}
    </div>
  );
}
