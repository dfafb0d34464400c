import { RouteNotFoundError, resolveRoute, tenantModelConfigSchema } from "@parley/models";
import { describe, expect, it } from "vitest";
import {
  type BotRoutingDraft,
  botRoutingProblems,
  previewRoutes,
  tenantRoutingProblems,
} from "./routing-draft";

const policy = { targets: [{ provider: "offline", model: "offline" }] };

describe("bot routing form helpers", () => {
  it("finds blank, duplicate, 'default' and self overrides and twice-listed providers by field path", () => {
    const problems = botRoutingProblems({
      defaultRoute: null,
      routeOverrides: [
        { requested: " ", route: "main" },
        { requested: "fast", route: "main" },
        { requested: "fast ", route: "cheap" },
        { requested: "default", route: "main" },
        { requested: "cheap", route: "cheap" },
        { requested: "smart", route: "" },
      ],
      preferredProviders: ["openai", "anthropic", "openai"],
    });
    expect(problems).toEqual({
      "routeOverrides.0.requested": "name the route a node asks for",
      "routeOverrides.2.requested": '"fast" is overridden twice',
      "routeOverrides.3.requested": 'set the bot\'s default route instead of overriding "default"',
      "routeOverrides.4.route": "a route cannot be overridden by itself",
      "routeOverrides.5.route": "choose the route to use",
      "preferredProviders.2": '"openai" is listed twice',
    });
    expect(
      botRoutingProblems({ defaultRoute: "main", routeOverrides: [], preferredProviders: null }),
    ).toEqual({});
    expect(tenantRoutingProblems(["a", "b", "a"])).toEqual({ "preferredProviders.2": '"a" is listed twice' });
  });

  it("previews the route each name gets exactly as the runtime resolves it", () => {
    const routes = { main: policy, cheap: policy, default: policy };
    const cases: { draft: BotRoutingDraft; workspaceDefault: string | null }[] = [
      { draft: { defaultRoute: null, routeOverrides: [], preferredProviders: null }, workspaceDefault: null },
      {
        draft: { defaultRoute: null, routeOverrides: [], preferredProviders: null },
        workspaceDefault: "main",
      },
      {
        draft: {
          defaultRoute: "cheap",
          routeOverrides: [{ requested: "fast", route: "main" }],
          preferredProviders: [],
        },
        workspaceDefault: "main",
      },
    ];
    const names = ["default", "fast", "main", "cheap", "missing"];
    for (const { draft, workspaceDefault } of cases) {
      const config = tenantModelConfigSchema.parse({
        routes,
        ...(workspaceDefault ? { defaultRoute: workspaceDefault } : {}),
        bots: {
          bot: {
            ...(draft.defaultRoute ? { defaultRoute: draft.defaultRoute } : {}),
            routeOverrides: Object.fromEntries(
              (draft.routeOverrides ?? []).map((o) => [o.requested, o.route]),
            ),
          },
        },
      });
      const preview = previewRoutes(names, draft, workspaceDefault, new Set(Object.keys(routes)));
      for (const row of preview) {
        // The runtime answers a name no route has through the default route (unknownRoutes "default").
        let expected: string;
        try {
          expected = resolveRoute(config, row.requested, "bot").name;
        } catch (error) {
          if (!(error instanceof RouteNotFoundError)) throw error;
          expected = resolveRoute(config, "default", "bot").name;
        }
        expect(row.route, `${row.requested} with ${JSON.stringify(draft)}`).toBe(expected);
      }
    }
    const [first] = previewRoutes(
      ["missing"],
      { defaultRoute: "cheap", routeOverrides: [], preferredProviders: null },
      null,
      new Set(["cheap"]),
    );
    expect(first).toEqual({
      requested: "missing",
      route: "cheap",
      reason: "no such route: the bot's default route",
    });
  });
});
