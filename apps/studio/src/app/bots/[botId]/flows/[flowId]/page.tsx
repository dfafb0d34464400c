"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useEffect } from "react";
import { RequireSignIn } from "../../../../../client/session";
import { useTRPC } from "../../../../../client/trpc";
import { FormError } from "../../../../../components/form-error";
import { Designer } from "../../../../../designer/ui/designer";
import { savesSettled } from "../../../../../designer/ui/pending-saves";
import "@xyflow/react/dist/style.css";
import "../../../../../designer/ui/designer.css";

function DesignerLoader() {
  const { botId, flowId } = useParams<{ botId: string; flowId: string }>();
  const trpc = useTRPC();
  // Loaded afresh on every visit, after any save a previous visit left on its way (pending-saves):
  // afterwards the designer owns the draft (autosave, conflicts), not the query cache. A cached
  // draft is never shown, even for a moment: the designer would start from it and keep it.
  const options = trpc.flows.get.queryOptions({ flowId });
  const flow = useQuery({
    ...options,
    queryFn: async (context) => {
      await savesSettled(flowId);
      return options.queryFn?.(context) as ReturnType<NonNullable<typeof options.queryFn>>;
    },
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
  if (!flow.data || !flow.isFetchedAfterMount) return <p className="muted pad">Loading flow…</p>;
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
