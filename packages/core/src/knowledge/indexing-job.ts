import { InfraError, type JobContext } from "@parley/infra";
import { z } from "zod";
import type { CoreDeps } from "../context";
import { modelParts } from "../model-settings/model-services";

/** The job queue knowledge documents are indexed through. */
export const KNOWLEDGE_QUEUE = "knowledge";

/** Payload of a knowledge indexing job. */
export const knowledgeJobSchema = z.object({ tenantId: z.string().min(1), documentId: z.string().min(1) });

/** Longest time one document may take to fetch, extract, embed and store. */
const INDEXING_TIMEOUT_MS = 5 * 60_000;

/**
 * Enqueues the indexing of a pending document (idempotent: one job id per document). A process
 * without the queue (the studio in embedded mode, where the runtime owns the journal) leaves the
 * document pending: the runtime's sweep ({@link enqueuePendingKnowledge}) picks it up. Returns
 * whether it was enqueued here.
 */
export async function enqueueKnowledgeIndexing(
  deps: CoreDeps,
  tenantId: string,
  documentId: string,
): Promise<boolean> {
  try {
    await deps.infra.queue.add(
      KNOWLEDGE_QUEUE,
      { tenantId, documentId },
      { jobId: `knowledge:${documentId}`, attempts: 3, backoff: { type: "exponential", delayMs: 2_000 } },
    );
    return true;
  } catch (error) {
    if (error instanceof InfraError && error.code === "NO_QUEUE") return false;
    throw error;
  }
}

/**
 * Job handler of the `knowledge` queue: indexes one document (pending -> indexing -> ready, or
 * failed with the reason). A document that cannot be read fails at once; an error storing the
 * outcome is thrown so the job is retried.
 */
export async function indexKnowledgeDocument(deps: CoreDeps, job: JobContext): Promise<void> {
  const { tenantId, documentId } = knowledgeJobSchema.parse(job.data);
  await modelParts(deps).knowledge.indexQueued(tenantId, documentId, {
    signal: AbortSignal.timeout(INDEXING_TIMEOUT_MS),
  });
}

/**
 * Enqueues every document still `pending` (uploaded by a process without the queue, or whose enqueue
 * was cut by a crash). Run periodically by the process that owns the queue; job ids make it
 * idempotent. Returns how many were seen.
 */
export async function enqueuePendingKnowledge(deps: CoreDeps, limit = 200): Promise<number> {
  const pending = await deps.db.system.knowledgeDocument.findMany({
    where: { status: "pending" },
    select: { id: true, tenantId: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  for (const document of pending) await enqueueKnowledgeIndexing(deps, document.tenantId, document.id);
  return pending.length;
}
