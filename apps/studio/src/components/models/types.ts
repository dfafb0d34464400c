import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/routers/app";

type Outputs = inferRouterOutputs<AppRouter>["models"];
type Inputs = inferRouterInputs<AppRouter>["models"];

/** A provider as the models page lists it (never the key; `keyHint` for managers). */
export type ProviderRow = Outputs["providers"][number];
/** A saved route with its ordered policy. */
export type RouteRow = Outputs["routes"][number];
/** What a route may be written as (the editor's output). */
export type RouteInput = Inputs["saveRoute"];
/** A route's policy as the editor sends it. */
export type PolicyInput = RouteInput["policy"];
/** One target of a route as the editor sends it. */
export type TargetInput = PolicyInput["targets"][number];
/** A budget with this month's spend. */
export type BudgetRow = Outputs["budgets"][number];
/** A price of the workspace's table. */
export type PriceRow = Outputs["prices"]["prices"][number];
/** A built-in list price. */
export type DefaultPrice = Outputs["prices"]["defaults"][number];
/** The routes and providers calls may use. */
export type Choices = Outputs["choices"];
/** What "try it" shows. */
export type TryResult = Outputs["tryPrompt"];
/** Provider families a workspace can configure. */
export type ProviderKind = ProviderRow["kind"];
/** The workspace's and the bots' routing choices. */
export type Routing = Outputs["routing"];
/** One bot's routing choices, with the route names its flows ask for. */
export type BotRoutingRow = Routing["bots"][number];
/** What the bot overrides form sends. */
export type BotRoutingInput = Inputs["saveBotRouting"];
/** What the workspace routing form sends. */
export type TenantRoutingInput = Inputs["saveTenantRouting"];
