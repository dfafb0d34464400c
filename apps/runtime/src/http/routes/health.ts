import type { FastifyInstance } from "fastify";
import { type ReadinessCheck, runReadinessChecks } from "../../readiness";

/**
 * `GET /health`: the process is up (liveness; no dependencies touched).
 * `GET /ready`: every dependency check passes (readiness; 503 with the failing checks otherwise).
 */
export function registerHealthRoutes(app: FastifyInstance, checks: readonly ReadinessCheck[]): void {
  app.get("/health", async () => ({ status: "ok" }));

  app.get("/ready", async (_request, reply) => {
    const results = await runReadinessChecks(checks);
    const ready = results.every((result) => result.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not-ready", checks: results });
  });
}
