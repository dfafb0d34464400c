import type { MachineJson } from "@parley/engine";
import { type FlowDocument, needsConversationHistory, type VariableType } from "@parley/flow-schema";
import { type ServiceContext, tenantDb } from "../context";
import { ServiceError } from "../errors";

/** A published flow version, ready to run (internal). Published versions are immutable, so caching is safe. */
export interface LoadedVersion {
  id: string;
  tenantId: string;
  flowId: string;
  machine: MachineJson;
  /** Variables the flow declares: a conversation may only be started with these. */
  declared: ReadonlySet<string>;
  /** Each declared variable's type and whether a publishable key may preset it. */
  declarations: ReadonlyMap<string, { type: VariableType; clientSettable: boolean }>;
  /** Contact-scoped variables: kept on the contact and carried into its next conversations. */
  contactVariables: readonly { name: string; type: VariableType }[];
  /** Whether any node reads the conversation history (flow-schema's `HISTORY_NODE_KINDS`). */
  needsHistory: boolean;
}

const MAX_CACHED = 500;
const cache = new Map<string, LoadedVersion>();

/** Loads (and caches in process memory) a published version of the tenant (internal). */
export async function loadVersion(ctx: ServiceContext, versionId: string): Promise<LoadedVersion> {
  const cached = cache.get(versionId);
  // Ids are unique across tenants, but a cached version is only handed to the tenant that owns it.
  if (cached && cached.tenantId === ctx.tenantId) {
    // Refresh recency: Map iteration order is insertion order.
    cache.delete(versionId);
    cache.set(versionId, cached);
    return cached;
  }
  const row = await tenantDb(ctx).flowVersion.findFirst({
    where: { id: versionId, status: "published" },
    select: { id: true, tenantId: true, flowId: true, machine: true, document: true },
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
    tenantId: row.tenantId,
    flowId: row.flowId,
    machine: row.machine as unknown as MachineJson,
    declared: new Set(document.variables.map((variable) => variable.name)),
    declarations: new Map(
      document.variables.map((variable) => [
        variable.name,
        { type: variable.type, clientSettable: variable.clientSettable === true },
      ]),
    ),
    contactVariables: document.variables
      .filter((variable) => variable.scope === "contact")
      .map((variable) => ({ name: variable.name, type: variable.type })),
    needsHistory: needsConversationHistory(document),
  };
  cache.set(versionId, loaded);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return loaded;
}
