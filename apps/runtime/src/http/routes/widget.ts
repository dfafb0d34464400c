import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { sendProblem } from "../problem";

/** What the runtime uses from `@parley/widget/server` (loaded lazily, so the runtime starts without it). */
interface WidgetServer {
  ensureWidgetBuilt?: () => Promise<string>;
  widgetScriptPath?: string;
  renderDemoPage(options: {
    botId: string;
    publishableKey: string;
    runtimeUrl: string;
    mode?: "bubble" | "inline" | "popup";
  }): string;
}

const demoFileSchema = z
  .object({ botId: z.string().min(1), publishableKey: z.string().startsWith("pk_") })
  .loose();
const demoQuerySchema = z.object({
  botId: z.string().min(1).optional(),
  key: z.string().startsWith("pk_").optional(),
  mode: z.enum(["bubble", "inline", "popup"]).optional(),
});

async function loadWidgetServer(): Promise<WidgetServer | undefined> {
  try {
    // A literal specifier, so the runtime's bundle (packages/cli/bin/bundles.js) includes the widget
    // server as a chunk loaded on first use; a computed one would be left to Node, which cannot load
    // the package's TypeScript source.
    return (await import("@parley/widget/server")) as WidgetServer;
  } catch {
    return undefined;
  }
}

/**
 * `GET /widget.js` (the embeddable script) and `GET /demo` (a page embedding the demo bot, whose
 * ids come from `PARLEY_DEMO_FILE` or `?botId=&key=`). Both answer 503 with a clear problem while
 * the widget package is unavailable.
 */
export function registerWidgetRoutes(
  app: FastifyInstance,
  options: { demoFile?: string; runtimeUrl?: string },
): void {
  let widget: Promise<WidgetServer | undefined> | undefined;
  const widgetServer = () => {
    widget ??= loadWidgetServer().then((loaded) => {
      if (!loaded) widget = undefined; // retry on the next request
      return loaded;
    });
    return widget;
  };

  app.get("/widget.js", async (_request, reply) => {
    const server = await widgetServer();
    const path = server?.ensureWidgetBuilt
      ? await server.ensureWidgetBuilt().catch(() => undefined)
      : server?.widgetScriptPath;
    const script = path ? await readFile(path).catch(() => undefined) : undefined;
    if (!script)
      return sendProblem(
        reply,
        503,
        "widget-unavailable",
        "the widget script is not built or not installed yet",
      );
    return reply
      .type("application/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .header("access-control-allow-origin", "*")
      .header("cross-origin-resource-policy", "cross-origin")
      .send(script);
  });

  app.get("/demo", async (request, reply) => {
    const query = demoQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendProblem(reply, 400, "invalid-query", "botId and key (pk_...) are expected");
    let demo: { botId: string; publishableKey: string } | undefined =
      query.data.botId && query.data.key
        ? { botId: query.data.botId, publishableKey: query.data.key }
        : undefined;
    if (!demo && options.demoFile) {
      const parsed = demoFileSchema.safeParse(
        await readFile(options.demoFile, "utf8")
          .then(JSON.parse)
          .catch(() => undefined),
      );
      if (parsed.success) demo = parsed.data;
    }
    if (!demo) {
      return sendProblem(
        reply,
        404,
        "demo-not-configured",
        "no demo bot: run `parley start` (PARLEY_DEMO_FILE) or pass ?botId=&key=pk_...",
      );
    }
    const server = await widgetServer();
    if (!server)
      return sendProblem(reply, 503, "widget-unavailable", "the widget package is not available yet");
    const runtimeUrl = options.runtimeUrl ?? `${request.protocol}://${request.host}`;
    return reply
      .type("text/html; charset=utf-8")
      .send(
        server.renderDemoPage({ ...demo, runtimeUrl, ...(query.data.mode ? { mode: query.data.mode } : {}) }),
      );
  });
}
