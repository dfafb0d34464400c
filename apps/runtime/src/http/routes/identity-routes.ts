import { identitySecretResponseSchema, identityVerificationStatusSchema } from "@parley/contract";
import { generateIdentitySecret, identityVerificationStatus } from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

const botParams = z.object({ botId: z.string().min(1).max(100).describe("The bot's id") }).strict();

/** Visitor identity verification: the bot's identity secret (generated, shown once) and its status. */
export const identityRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/identity-secret",
    operationId: "generateIdentitySecret",
    summary: "Generate or rotate the bot's identity secret (shown once)",
    description:
      "Your server signs visitor identity tokens (HS256 JWTs with `sub`, `iat`, `exp` at most an hour later, " +
      "optional verified `email` and `name`) with this secret; the widget sends them so a visitor is linked " +
      "to your user. The secret is returned only here; calling again replaces it (old tokens stop working).",
    tag: "Bots",
    permission: "bots:write",
    params: botParams,
    success: { status: 201, description: "The new secret", schema: identitySecretResponseSchema },
    errors: [404, 503],
    handler: ({ params, ctx }) => generateIdentitySecret(ctx, params.botId),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/identity-secret",
    operationId: "getIdentityVerificationStatus",
    summary: "Whether the bot verifies visitor identity tokens (never the secret)",
    tag: "Bots",
    permission: "bots:read",
    params: botParams,
    success: { status: 200, description: "The status", schema: identityVerificationStatusSchema },
    errors: [404],
    handler: ({ params, ctx }) => identityVerificationStatus(ctx, params.botId),
  }),
];
