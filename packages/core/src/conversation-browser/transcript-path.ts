import type { TranscriptResponse } from "@parley/contract";
import type { TenantClient } from "@parley/db";

/** The properties the commit writes on a `turn` analytics event (see conversations/commit.ts). */
interface TurnProperties {
  nodes?: unknown;
  variablesChanged?: unknown;
}

/**
 * The nodes a conversation went through and the variables each turn set, in order, read from the
 * `turn` analytics events the commit writes in the same transaction as the turn's messages (so the
 * path is exactly as complete as the transcript) (internal).
 */
export async function conversationPath(
  db: TenantClient,
  conversationId: string,
): Promise<Pick<TranscriptResponse, "path" | "variableChanges">> {
  const turns = await db.analyticsEvent.findMany({
    where: { conversationId, type: "turn" },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    select: { properties: true, occurredAt: true },
  });
  const path: TranscriptResponse["path"] = [];
  const variableChanges: TranscriptResponse["variableChanges"] = [];
  turns.forEach((event, index) => {
    const properties = (event.properties ?? {}) as TurnProperties;
    const at = event.occurredAt.toISOString();
    const turn = index + 1;
    if (Array.isArray(properties.nodes)) {
      for (const nodeId of properties.nodes) if (typeof nodeId === "string") path.push({ nodeId, turn, at });
    }
    if (Array.isArray(properties.variablesChanged)) {
      for (const change of properties.variablesChanged as { nodeId?: unknown; name?: unknown }[]) {
        if (typeof change?.name !== "string") continue;
        variableChanges.push({
          name: change.name,
          nodeId: typeof change.nodeId === "string" ? change.nodeId : null,
          turn,
          at,
        });
      }
    }
  });
  return { path, variableChanges };
}
