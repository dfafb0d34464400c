"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../client/trpc";

/**
 * Warns when a bot's model nodes would be answered by the offline model (canned local answers, not a
 * real model): for one flow's draft (`flowId`, the publish dialog) or the bot's published flows.
 * Renders nothing when a real provider answers, or while loading.
 *
 * @example
 * <OfflineModelWarning botId={botId} flowId={flowId} when="publishing" />
 */
export function OfflineModelWarning({
  botId,
  flowId,
  when,
}: {
  botId: string;
  flowId?: string;
  when: "publishing" | "live";
}) {
  const trpc = useTRPC();
  const status = useQuery(trpc.models.botStatus.queryOptions({ botId, ...(flowId ? { flowId } : {}) }));
  const offline = status.data?.uses.filter((use) => use.offlineOnly) ?? [];
  if (offline.length === 0) return null;
  const nodes = offline.flatMap((use) => use.nodes.map((node) => node.title));
  return (
    <div className="warning-box" role="status" data-testid="offline-model-warning">
      <strong>
        {when === "publishing"
          ? "Visitors would get the offline model."
          : "This bot answers with the offline model."}
      </strong>{" "}
      {nodes.length === 1
        ? `The node "${nodes[0]}" calls`
        : `The nodes ${nodes.map((n) => `"${n}"`).join(", ")} call`}{" "}
      a model, and{" "}
      {offline
        .map((use) => (use.route ? `the route "${use.route}"` : `no route "${use.requested}"`))
        .join(", ")}{" "}
      has no real provider: answers are canned local text, fine for trying a flow but not for real visitors.{" "}
      <Link href="/models">Add a provider on the Models page</Link>.
    </div>
  );
}
