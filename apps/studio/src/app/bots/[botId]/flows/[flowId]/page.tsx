"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useEffect } from "react";
import { RequireSignIn } from "../../../../../client/session";
import { useTRPC } from "../../../../../client/trpc";
import { FormError } from "../../../../../components/form-error";
import { Designer } from "../../../../../designer/ui/designer";
import "@xyflow/react/dist/style.css";
import "../../../../../designer/ui/designer.css";

function DesignerLoader() {
  const { botId, flowId } = useParams<{ botId: string; flowId: string }>();
  const trpc = useTRPC();
  // Loaded once: afterwards the designer owns the draft (autosave, conflicts), not the query cache.
  const flow = useQuery({
    ...trpc.flows.get.queryOptions({ flowId }),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnMount: "always",
  });
  useEffect(() => {
    if (typeof performance !== "undefined") performance.mark("designer:requested");
  }, []);
  if (flow.error)
    return (
      <div className="pad">
        <FormError error={flow.error} />
      </div>
    );
  if (!flow.data) return <p className="muted pad">Loading flow…</p>;
  return (
    <Designer
      key={flow.data.id}
      botId={botId}
      flowId={flowId}
      flowName={flow.data.name}
      document={flow.data.draft as unknown as FlowDocument}
      revision={flow.data.draftRevision}
      publishedVersionId={flow.data.publishedVersionId}
    />
  );
}

/** The flow designer page. */
export default function FlowDesignerPage() {
  return (
    <RequireSignIn>
      <DesignerLoader />
    </RequireSignIn>
  );
}
