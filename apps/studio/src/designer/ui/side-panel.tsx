"use client";

import type { FlowDocument, FlowProblem } from "@parley/flow-schema";
import dynamic from "next/dynamic";
import type { VariableSuggestion } from "../core/autocomplete";
import { removeVariable, updateNode, upsertVariable } from "../core/document-ops";
import type { useFlowHistory } from "./hooks/use-flow-history";
import { ProblemsPanel } from "./problems-panel";
import type { TurnHighlight } from "./test-chat";
import { type ComparedVersion, VersionsPanel } from "./versions-panel";

/** A tab's content while its code loads. */
function PanelLoading() {
  return (
    <p className="muted side-section" aria-busy="true">
      Loading…
    </p>
  );
}

// The inspector, variables and test chat load when first shown (a node selected, a tab opened): the
// designer's first load is the canvas, and these bring the forms' controls and their checks.
const Inspector = dynamic(() => import("./inspector").then((module) => module.Inspector), {
  loading: PanelLoading,
});
const VariablesPanel = dynamic(() => import("./variables-panel").then((module) => module.VariablesPanel), {
  loading: PanelLoading,
});
const TestChat = dynamic(() => import("./test-chat").then((module) => module.TestChat), {
  loading: PanelLoading,
});

/** The side panel's tabs. */
export type SideTab = "inspector" | "variables" | "problems" | "test" | "versions";

interface SidePanelProps {
  readonly tab: SideTab;
  readonly onTab: (tab: SideTab) => void;
  readonly botId: string;
  readonly flowId: string;
  readonly doc: FlowDocument;
  readonly commit: ReturnType<typeof useFlowHistory>["commit"];
  readonly problems: readonly FlowProblem[];
  readonly suggestions: readonly VariableSuggestion[];
  readonly selectedIds: readonly string[];
  readonly canEdit: boolean;
  readonly canPublish: boolean;
  readonly structurallyValid: boolean;
  readonly flowName: string;
  readonly flush: () => Promise<boolean>;
  /** The saved draft's revision, read when a rollback is sent. */
  readonly revision: () => number;
  readonly comparing: number | null;
  readonly onCompare: (compared: ComparedVersion | null) => void;
  readonly onFocusNode: (nodeId: string) => void;
  readonly onHighlight: (highlight: TurnHighlight | null) => void;
  readonly onRolledBack: (copyName: string | null) => Promise<void>;
}

/** Node inspector, variables, problems, test chat and versions, one tab at a time. */
export function SidePanel(props: SidePanelProps) {
  const { tab, doc, commit, problems, selectedIds, canEdit } = props;
  const selectedNodeId = selectedIds.length === 1 ? selectedIds[0] : undefined;
  const tabs = [
    ["inspector", "Node"],
    ["variables", `Variables (${doc.variables.length})`],
    ["problems", `Problems (${problems.length})`],
    ["test", "Test chat"],
    ["versions", "Versions"],
  ] as const;
  // nokey: React Flow's Delete/Backspace (remove the selected nodes) stays off while a key is
  // pressed on the panel's buttons, selects and checkboxes, as it is in its text fields.
  return (
    <aside className="side nokey">
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? "tab active" : "tab"}
            onClick={() => props.onTab(id)}
            data-testid={`tab-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === "inspector" &&
        (selectedNodeId ? (
          <Inspector
            botId={props.botId}
            doc={doc}
            nodeId={selectedNodeId}
            problems={problems}
            suggestions={props.suggestions}
            readOnly={!canEdit}
            onChange={(patch, key, declare) => {
              const updated = updateNode(doc, selectedNodeId, patch);
              commit(declare ? upsertVariable(updated, declare) : updated, declare ? undefined : key);
            }}
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
      {tab === "problems" && <ProblemsPanel doc={doc} problems={problems} onFocus={props.onFocusNode} />}
      {tab === "test" && (
        <TestChat
          botId={props.botId}
          doc={doc}
          canRun={props.structurallyValid}
          onHighlight={props.onHighlight}
        />
      )}
      {tab === "versions" && (
        <VersionsPanel
          botId={props.botId}
          flowId={props.flowId}
          flowName={props.flowName}
          doc={doc}
          canPublish={props.canPublish}
          flush={props.flush}
          revision={props.revision}
          comparing={props.comparing}
          onCompare={props.onCompare}
          onRolledBack={props.onRolledBack}
        />
      )}
    </aside>
  );
}
