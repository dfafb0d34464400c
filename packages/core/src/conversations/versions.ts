import type { TenantClient } from "@parley/db";
import type { MachineJson } from "@parley/engine";
import type { FlowDocument } from "@parley/flow-schema";
import { ServiceError } from "../errors";

/** A published flow version, ready to run (internal). Published versions are immutable, so caching is safe. */
export interface LoadedVersion {
  id: string;
  flowId: string;
  machine: MachineJson;
  /** Variables the flow declares: a conversation may only be started with these. */
  declared: ReadonlySet<string>;
  /** Whether any node reads the conversation history (llm, knowledge, intent). */
  needsHistory: boolean;
}

const MAX_CACHED = 500;
const cache = new Map<string, LoadedVersion>();

/** Loads (and caches in process memory) a published version of the tenant (internal). */
export async function loadVersion(db: TenantClient, versionId: string): Promise<LoadedVersion> {
  const cached = cache.get(versionId);
  if (cached) {
    // Refresh recency: Map iteration order is insertion order.
    cache.delete(versionId);
    cache.set(versionId, cached);
    return cached;
  }
  const row = await db.flowVersion.findFirst({
    where: { id: versionId, status: "published" },
    select: { id: true, flowId: true, machine: true, document: true },
  });
  if (!row?.machine) {
    throw new ServiceError(
      "conflict",
      "flow-version-unavailable",
      `flow version ${versionId} is not published`,
    );
  }
  const document = row.document as unknown as FlowDocument;
  const loaded: LoadedVersion = {
    id: row.id,
    flowId: row.flowId,
    machine: row.machine as unknown as MachineJson,
    declared: new Set(document.variables.map((variable) => variable.name)),
    needsHistory: document.nodes.some((node) => ["llm", "knowledge", "intent"].includes(node.kind)),
  };
  cache.set(versionId, loaded);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return loaded;
}
