import type { saveBotRoutingSchema } from "@parley/contract";
import type { z } from "zod";

/**
 * A bot's routing as the form edits it: the contract's input (a null default route is the
 * workspace's; null preferred providers are the workspace's; override rows in the order shown).
 */
export type BotRoutingDraft = z.input<typeof saveBotRoutingSchema>;

/** Problems of a preferred-provider list the browser can see: a provider listed twice. */
function preferredProblems(list: readonly string[] | null | undefined): Record<string, string> {
  const problems: Record<string, string> = {};
  (list ?? []).forEach((name, index) => {
    if (list?.indexOf(name) !== index) problems[`preferredProviders.${index}`] = `"${name}" is listed twice`;
  });
  return problems;
}

/**
 * Problems of a bot's routing the browser can see before sending, by the server's field paths
 * (the server checks the same and also that routes and providers exist).
 */
export function botRoutingProblems(draft: BotRoutingDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  const seen = new Set<string>();
  (draft.routeOverrides ?? []).forEach((override, index) => {
    const requested = override.requested.trim();
    const path = `routeOverrides.${index}`;
    if (!requested) problems[`${path}.requested`] = "name the route a node asks for";
    else if (requested === "default")
      problems[`${path}.requested`] = 'set the bot\'s default route instead of overriding "default"';
    else if (seen.has(requested)) problems[`${path}.requested`] = `"${requested}" is overridden twice`;
    seen.add(requested);
    if (!override.route) problems[`${path}.route`] = "choose the route to use";
    else if (override.route === requested)
      problems[`${path}.route`] = "a route cannot be overridden by itself";
  });
  return { ...problems, ...preferredProblems(draft.preferredProviders) };
}

/** Problems of the workspace's preferred providers the browser can see. */
export function tenantRoutingProblems(
  preferredProviders: readonly string[] | undefined,
): Record<string, string> {
  return preferredProblems(preferredProviders);
}

/** Which route a node asking for `requested` gets, and why (as the runtime resolves it). */
export interface RoutePreview {
  requested: string;
  route: string;
  reason: string;
}

/**
 * What a bot's nodes get for each of `requested` under `draft` (the runtime's rule: `default` is
 * the bot's default route, else the workspace's, else the route named `default`; other names go
 * through the overrides; a name no route has answers through the default route).
 */
export function previewRoutes(
  requested: readonly string[],
  draft: BotRoutingDraft,
  workspaceDefault: string | null,
  routes: ReadonlySet<string>,
): RoutePreview[] {
  const fallback = draft.defaultRoute
    ? { route: draft.defaultRoute, reason: "the bot's default route" }
    : workspaceDefault
      ? { route: workspaceDefault, reason: "the workspace's default route" }
      : { route: "default", reason: "the built-in default route" };
  const overrides = new Map((draft.routeOverrides ?? []).map((o) => [o.requested.trim(), o.route]));
  return requested.map((name) => {
    if (name === "default") return { requested: name, ...fallback };
    const override = overrides.get(name);
    if (override) return { requested: name, route: override, reason: "overridden for this bot" };
    if (routes.has(name)) return { requested: name, route: name, reason: "the route of that name" };
    return { requested: name, route: fallback.route, reason: `no such route: ${fallback.reason}` };
  });
}
