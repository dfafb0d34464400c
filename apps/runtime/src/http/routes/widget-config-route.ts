import { botIdParamsSchema, widgetConfigSchema } from "@parley/contract";
import { getWidgetConfig } from "@parley/core";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

/** `GET /api/v1/widget/bots/{botId}/config`: theme and image policy for the embedded widget. */
export const widgetConfigRoute: AnyRouteSpec = defineRoute({
  method: "GET",
  path: "/api/v1/widget/bots/{botId}/config",
  operationId: "getWidgetConfig",
  summary: "The widget's theme and image policy for a bot",
  description: "Called by widget.js with the bot's publishable key before it paints.",
  tag: "Widget",
  permission: "conversations:read",
  params: botIdParamsSchema,
  success: { status: 200, description: "The widget configuration", schema: widgetConfigSchema },
  errors: [404],
  handler: ({ params, ctx }) => getWidgetConfig(ctx, params.botId),
});
