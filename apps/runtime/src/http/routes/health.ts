import type { FastifyInstance } from "fastify";
import { type ReadinessCheck, runReadinessChecks } from "../../readiness";

/** Names the process that answered (`PARLEY_INSTANCE_ID`), for `parley start`'s health probe. */
const INSTANCE_HEADER = "x-parley-instance";

/**
 * `GET /health`: the process is up (liveness; no dependencies touched).
 * `GET /ready`: every dependency check passes (readiness; 503 with the failing checks otherwise).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  checks: readonly ReadinessCheck[],
  instanceId?: string,
): void {
  app.get("/health", async (_request, reply) => {
    if (instanceId) reply.header(INSTANCE_HEADER, instanceId);
    return { status: "ok" };
  });

  app.get("/ready", async (_request, reply) => {
    if (instanceId) reply.header(INSTANCE_HEADER, instanceId);
    const results = await runReadinessChecks(checks);
    const ready = results.every((result) => result.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not-ready", checks: results });
  });
}
