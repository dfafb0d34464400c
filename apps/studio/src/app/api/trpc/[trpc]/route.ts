import { MAX_KNOWLEDGE_UPLOAD_BYTES } from "@parley/contract";
import { resolveSession } from "@parley/core";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { studioEnv } from "@/env";
import { sessionTokenFromCookieHeader } from "@/server/auth/sessions";
import type { StudioServices } from "@/server/context";
import { procedurePaths, readBodyWithin } from "@/server/http/body-limit";
import { createHttpContext } from "@/server/http-context";
import { appRouter } from "@/server/routers/app";
import { studioServices } from "@/server/services-factory";

/** Every tRPC call of the studio's pages goes through here (Node runtime: database, argon2). */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A knowledge upload's body: the largest file, base64-encoded, plus its JSON envelope. */
const UPLOAD_BODY_BYTES = Math.ceil((MAX_KNOWLEDGE_UPLOAD_BYTES * 4) / 3) + 64 * 1024;

/** Procedures that answer with a stream of events. */
const STREAMED_PATHS: ReadonlySet<string> = new Set(["flows.testTurn"]);

/**
 * The body limit of a call: STUDIO_MAX_BODY_BYTES, or room for the largest accepted file when the
 * request is a knowledge upload and nothing else (the client sends uploads unbatched) from a
 * signed-in user (an anonymous client gets the small limit whatever it calls).
 */
async function bodyLimitOf(request: Request, services: StudioServices): Promise<number> {
  const { STUDIO_MAX_BODY_BYTES } = studioEnv();
  const paths = procedurePaths(new URL(request.url));
  if (paths.length !== 1 || paths[0] !== "knowledge.upload") return STUDIO_MAX_BODY_BYTES;
  const token = sessionTokenFromCookieHeader(request.headers.get("cookie"));
  const signedIn = await resolveSession(services.core, token, services.now());
  return signedIn ? Math.max(STUDIO_MAX_BODY_BYTES, UPLOAD_BODY_BYTES) : STUDIO_MAX_BODY_BYTES;
}

async function handle(incoming: Request): Promise<Response> {
  const services = await studioServices();
  // Bounded before anything else: the body is read only up to the limit.
  const read = await readBodyWithin(incoming, await bodyLimitOf(incoming, services));
  if (!read.ok) return read.response;
  const request =
    read.body === null
      ? incoming
      : new Request(incoming.url, {
          method: incoming.method,
          headers: incoming.headers,
          body: read.body as BodyInit,
          signal: incoming.signal,
        });
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ resHeaders }) => createHttpContext(services, request, resHeaders),
    // A streamed answer (the test chat's turn events) must reach the browser piece by piece: the
    // server's gzip would hold the pieces back until the turn is over. `no-transform` turns it off.
    responseMeta: ({ paths }) =>
      paths?.some((path) => STREAMED_PATHS.has(path))
        ? { headers: { "cache-control": "no-store, no-transform" } }
        : {},
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}

export { handle as GET, handle as POST };
