"use client";

import { type FlowDocument, parseFlowDocument } from "@parley/flow-schema";
import { useReactFlow } from "@xyflow/react";
import { useCallback } from "react";

/**
 * Import a flow JSON file into the draft (validated; the flow keeps its id) and export the draft as
 * a file that the import endpoint accepts as is.
 */
export function useFlowFile(
  doc: FlowDocument,
  commit: (next: FlowDocument) => void,
  notify: (message: string) => void,
) {
  const flow = useReactFlow();

  const importFile = useCallback(
    async (file: File) => {
      try {
        const parsed = parseFlowDocument(JSON.parse(await file.text()));
        if (!parsed.ok) {
          notify(`Not imported: ${parsed.problems.map((p) => p.message).join("; ")}`);
          return;
        }
        commit({ ...parsed.flow, id: doc.id });
        setTimeout(() => void flow.fitView(), 50);
      } catch (error) {
        notify(`Not imported: ${(error as Error).message}`);
      }
    },
    [doc.id, commit, notify, flow],
  );

  const exportFile = useCallback(() => {
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: "application/json" }),
    );
    const link = Object.assign(window.document.createElement("a"), { href: url, download: `${doc.id}.json` });
    link.click();
    URL.revokeObjectURL(url);
  }, [doc]);

  return { importFile, exportFile };
}
