"use client";

import type { FlowDocument } from "@parley/flow-schema";
import {
  Background,
  Controls,
  type Edge,
  MiniMap,
  type Node,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from "@xyflow/react";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useCan } from "../../client/session";
import { useAppearance } from "../../components/ui/appearance";
import { variableSuggestions } from "../core/autocomplete";
import { AnalyticsOverlay } from "./analytics-overlay";
import { ConflictBanner } from "./conflict-banner";
import { DesignerToolbar } from "./designer-toolbar";
import { FlowNodeView } from "./flow-node";
import { useCanvasEdits } from "./hooks/use-canvas-edits";
import { useCanvasState } from "./hooks/use-canvas-state";
import { useDesignerShortcuts } from "./hooks/use-designer-shortcuts";
import { useDraftSync } from "./hooks/use-draft-sync";
import { useFlowChecks } from "./hooks/use-flow-checks";
import { useFlowFile } from "./hooks/use-flow-file";
import { useFlowHistory } from "./hooks/use-flow-history";
import { usePathHighlight } from "./hooks/use-path-highlight";
import { NextNodeContext, NextNodePicker } from "./next-node-picker";
import { Palette } from "./palette";
import { SidePanel, type SideTab } from "./side-panel";
import { useAutosave } from "./use-autosave";
import { type ComparedVersion, DiffSummary } from "./versions-panel";

// Loaded when Publish is first pressed, not with the canvas; `loading` gives it a Suspense boundary of
// its own (else the designer itself would suspend while the chunk loads).
const PublishDialog = dynamic(() => import("./publish-dialog").then((module) => module.PublishDialog), {
  loading: () => null,
});

const nodeTypes = { flow: FlowNodeView };
const NO_VISITS: readonly string[] = [];

/** What the designer is opened with. */
export interface DesignerProps {
  readonly botId: string;
  readonly flowId: string;
  readonly flowName: string;
  readonly document: FlowDocument;
  readonly revision: number;
  readonly publishedVersionId: string | null;
}

/** The flow designer: canvas, palette, inspector and side panels, wired to autosave and the API. */
export function Designer(props: DesignerProps) {
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  );
}

/** Composes the designer's hooks; each owns one concern (history, checks, canvas, edits, sync). */
function DesignerInner({ botId, flowId, flowName, document: initialDoc, revision }: DesignerProps) {
  const flow = useReactFlow();
  const canEdit = useCan("flows:write");
  const canPublish = useCan("flows:publish");
  // React Flow sets its own light/dark class, which also switches Radix's tokens inside the canvas.
  const appearance = useAppearance();

  const history = useFlowHistory(initialDoc);
  const { doc, commit } = history;
  const autosave = useAutosave(flowId, doc, { doc: initialDoc, revision }, canEdit);
  const [toast, setToast] = useState<string | null>(null);
  const [tab, setTab] = useState<SideTab>("inspector");
  const [highlight, setHighlight] = usePathHighlight();
  const [compare, setCompare] = useState<ComparedVersion | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);

  const { problems, structurallyValid, compareDiff, decorations } = useFlowChecks(doc, highlight, compare);
  const canvas = useCanvasState(doc, decorations, highlight?.visited ?? NO_VISITS);
  const edits = useCanvasEdits({
    doc,
    commit,
    canEdit,
    onRefused: setToast,
    selectAfterNextBuild: canvas.selectAfterNextBuild,
  });
  useDesignerShortcuts({
    doc,
    selectedIds: canvas.selectedIds,
    canEdit,
    commit,
    undo: history.undo,
    redo: history.redo,
    selectAll: canvas.selectAll,
    selectAfterNextBuild: canvas.selectAfterNextBuild,
  });
  const sync = useDraftSync({ flowId, doc, autosave, commit, resetHistory: history.reset, notify: setToast });
  const file = useFlowFile(doc, commit, setToast);
  const suggestions = useMemo(() => variableSuggestions(doc), [doc]);

  const selectedNodeId = canvas.selectedIds.length === 1 ? canvas.selectedIds[0] : undefined;
  useEffect(() => {
    if (selectedNodeId)
      setTab((t) => (t === "variables" || t === "problems" || t === "versions" ? t : "inspector"));
  }, [selectedNodeId]);

  const focusNode = useCallback(
    (nodeId: string) => {
      const node = doc.nodes.find((n) => n.id === nodeId);
      if (!node) return;
      canvas.selectOnly(nodeId);
      void flow.setCenter(node.position.x + 90, node.position.y + 40, { zoom: 1.2, duration: 300 });
      setTab("inspector");
    },
    [doc, flow, canvas.selectOnly],
  );

  const save = autosave.state;
  return (
    <div className="designer">
      <DesignerToolbar
        botId={botId}
        flowName={flowName}
        save={save}
        canEdit={canEdit}
        canPublish={canPublish}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        onUndo={history.undo}
        onRedo={history.redo}
        onAutoLayout={edits.autoLayout}
        onFitView={() => void flow.fitView({ duration: 300 })}
        onExport={file.exportFile}
        onImport={(f) => void file.importFile(f)}
        onPublish={() => setPublishOpen(true)}
      />
      {save.status === "conflict" && (
        <ConflictBanner message={save.message} onResolve={(how) => void sync.resolveConflict(how)} />
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
          <DiffSummary version={compareDiff.version} diff={compareDiff.diff} doc={doc} />{" "}
          <button type="button" className="small" onClick={() => setCompare(null)}>
            Close diff
          </button>
        </div>
      )}
      <div className="designer-body">
        {canEdit && <Palette onAdd={edits.addAtCentre} disabled={!canEdit} />}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target of palette drags */}
        <div
          className="canvas"
          onDragOver={(e) => e.preventDefault()}
          onDrop={edits.onDrop}
          data-testid="canvas"
        >
          <NextNodeContext.Provider value={edits.openNextNode}>
            <ReactFlow
              colorMode={appearance.mode}
              nodes={canvas.nodes as unknown as Node[]}
              edges={canvas.edges as unknown as Edge[]}
              nodeTypes={nodeTypes}
              onNodesChange={canvas.onNodesChange}
              onEdgesChange={canvas.onEdgesChange}
              onNodeDragStop={edits.onNodeDragStop}
              onConnect={edits.onConnect}
              onConnectEnd={edits.onConnectEnd}
              connectionRadius={40}
              onDelete={edits.onDelete}
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
              <AnalyticsOverlay flowId={flowId} />
            </ReactFlow>
          </NextNodeContext.Provider>
          {edits.nextNode && (
            <NextNodePicker
              request={edits.nextNode}
              onPick={edits.addNextNode}
              onClose={edits.closeNextNode}
            />
          )}
        </div>
        <SidePanel
          tab={tab}
          onTab={setTab}
          botId={botId}
          flowId={flowId}
          doc={doc}
          commit={commit}
          problems={problems}
          suggestions={suggestions}
          selectedIds={canvas.selectedIds}
          canEdit={canEdit}
          canPublish={canPublish}
          structurallyValid={structurallyValid}
          flowName={flowName}
          flush={autosave.flush}
          revision={() => autosave.saved.current.revision}
          comparing={compare?.version ?? null}
          onCompare={setCompare}
          onFocusNode={focusNode}
          onHighlight={setHighlight}
          onRolledBack={sync.reloadAfterRollback}
        />
      </div>
      {publishOpen && (
        <PublishDialog
          botId={botId}
          flowId={flowId}
          flowName={flowName}
          problemCount={problems.length}
          flush={autosave.flush}
          onClose={() => setPublishOpen(false)}
          onShowProblems={() => {
            setPublishOpen(false);
            setTab("problems");
          }}
          onPublished={(version) => {
            setPublishOpen(false);
            setToast(`Published version ${version}.`);
          }}
        />
      )}
    </div>
  );
}
