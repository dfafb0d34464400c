import { studioEnv } from "../../../env";

// Answered by the running server on every request, never prerendered at build time.
export const dynamic = "force-dynamic";

/**
 * `GET /api/health`: the studio is up. Names the process in `x-parley-instance` (see
 * `PARLEY_INSTANCE_ID`) so `parley start` knows its own child answered.
 */
export function GET(): Response {
  const instanceId = studioEnv().PARLEY_INSTANCE_ID;
  return Response.json(
    { status: "ok" },
    { headers: { "cache-control": "no-store", ...(instanceId ? { "x-parley-instance": instanceId } : {}) } },
  );
}
