import { Readable } from "node:stream";
import { type CoreDeps, fetchChannelFile } from "@parley/core";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { sendProblem } from "../problem";

const paramsSchema = z.object({
  channelId: z.string().min(1).max(100),
  ref: z.string().min(1).max(500),
});
const querySchema = z.object({ sig: z.string().min(1).max(200) });

/** Types a browser may show inline; anything else is downloaded. */
const INLINE = /^(image\/(png|jpeg|gif|webp)|audio\/|video\/)/;

/**
 * `GET /api/v1/channels/{channelId}/files/{ref}?sig=...`: an inbound attachment's media (a Telegram
 * photo, voice note, document), downloaded from the platform with the channel's credentials on
 * demand. The link in the transcript is its own authorisation (an HMAC core checks), so it works in
 * an `<img>` in the studio or a REST client's page; an unknown channel, file or signature is one
 * 404. Served with a sandboxing CSP and `nosniff`, and as a download unless it is an image, audio
 * or video, so a file a stranger sent the bot cannot run script on the runtime's origin.
 */
export function registerChannelFileRoute(app: FastifyInstance, deps: CoreDeps): void {
  app.get("/api/v1/channels/:channelId/files/:ref", async (request, reply) => {
    const params = paramsSchema.safeParse(request.params);
    const query = querySchema.safeParse(request.query);
    if (!params.success || !query.success) return sendProblem(reply, 404, "file-not-found", "no such file");
    const file = await fetchChannelFile(deps, params.data.channelId, params.data.ref, query.data.sig);
    if (!file.ok) {
      return file.reason === "not_found"
        ? sendProblem(reply, 404, "file-not-found", "no such file")
        : sendProblem(reply, 502, "platform-unavailable", file.error);
    }
    const inline = INLINE.test(file.contentType);
    const name = (file.name ?? "file").replace(/[^\w.-]/g, "_");
    reply
      .header("content-type", file.contentType)
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "default-src 'none'; sandbox")
      .header("cache-control", "private, max-age=3600")
      .header("content-disposition", `${inline ? "inline" : "attachment"}; filename="${name}"`);
    if (file.contentLength !== undefined) reply.header("content-length", String(file.contentLength));
    return reply.send(Readable.fromWeb(file.body as never));
  });
}
