import { ServiceError } from "@parley/core";
import type { TenantClient } from "@parley/db";
import {
  compile,
  createMemoryHttp,
  createMemoryKnowledge,
  createOfflineLlm,
  createOfflineNlu,
  type EnginePorts,
  FlowCompileError,
  type PersistedSnapshot,
  runTurn,
  type TurnEventInput,
  type TurnResult,
} from "@parley/engine";
import type { FlowDocument } from "@parley/flow-schema";

/** Offline ports for the designer's test chat: no network, no keys, the same answers every time. */
let ports: EnginePorts | undefined;
function testPorts(): EnginePorts {
  ports ??= {
    llm: createOfflineLlm(),
    nlu: createOfflineNlu(),
    knowledge: createMemoryKnowledge([]),
    http: createMemoryHttp([]),
  };
  return ports;
}

/** The published documents of a bot's flows, keyed by document id (what subflow nodes call). */
export async function publishedSubflows(
  db: TenantClient,
  botId: string,
): Promise<Record<string, FlowDocument>> {
  const flows = await db.flow.findMany({
    where: { botId, archivedAt: null, publishedVersionId: { not: null } },
    select: { publishedVersion: { select: { document: true } } },
  });
  const byId: Record<string, FlowDocument> = {};
  for (const flow of flows) {
    const document = flow.publishedVersion?.document as FlowDocument | undefined;
    if (document?.id) byId[document.id] = document;
  }
  return byId;
}

/** One turn of the test chat against a draft document (unsaved edits included). */
export async function runTestTurn(input: {
  document: unknown;
  subflows: Record<string, FlowDocument>;
  snapshot: PersistedSnapshot | null;
  event: TurnEventInput;
  conversationId: string;
  botId: string;
}): Promise<TurnResult> {
  let machine: ReturnType<typeof compile>;
  try {
    const { [(input.document as { id?: string })?.id ?? ""]: _self, ...subflows } = input.subflows;
    machine = compile(input.document, { subflows });
  } catch (error) {
    if (error instanceof FlowCompileError) {
      throw new ServiceError("invalid", "flow-invalid", `The draft cannot run yet: ${error.message}`);
    }
    throw error;
  }
  return runTurn({
    machine,
    snapshot: input.snapshot,
    event: input.event,
    conversation: {
      id: input.conversationId,
      botId: input.botId,
      channel: "web",
      contactName: "Studio tester",
    },
    ports: testPorts(),
  });
}
