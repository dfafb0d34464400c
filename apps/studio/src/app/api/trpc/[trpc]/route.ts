import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createHttpContext } from "@/server/http-context";
import { appRouter } from "@/server/routers/app";
import { studioServices } from "@/server/services-factory";

/** Every tRPC call of the studio's pages goes through here (Node runtime: database, argon2). */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Procedures that answer with a stream of events. */
const STREAMED_PATHS: ReadonlySet<string> = new Set(["flows.testTurn"]);

async function handle(request: Request): Promise<Response> {
  const services = await studioServices();
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
