import type { AnyParityRow } from "../row";
import { analyticsRows } from "./analytics";
import { apiKeyRows } from "./api-keys";
import { auditRows } from "./audit";
import { botRows } from "./bots";
import { channelRows } from "./channels";
import { contactRows } from "./contacts";
import { experimentRows } from "./experiments";
import { flowRows } from "./flows";
import { inboxRows } from "./inbox";
import { connectorRows, integrationRows, triggerRows } from "./integrations";
import { knowledgeRows } from "./knowledge";
import { memberRows } from "./members";
import { modelRows } from "./models";

/** Every studio/REST pair the parity test checks, one file per domain. */
export const parityRows: readonly AnyParityRow[] = [
  ...memberRows,
  ...auditRows,
  ...apiKeyRows,
  ...botRows,
  ...flowRows,
  ...modelRows,
  ...knowledgeRows,
  ...channelRows,
  ...inboxRows,
  ...analyticsRows,
  ...experimentRows,
  ...contactRows,
  ...integrationRows,
  ...connectorRows,
  ...triggerRows,
];

/**
 * Studio routers whose every procedure must have a row (the coverage check). Add a domain here
 * when all its procedures have REST twins.
 */
export const parityDomains: readonly string[] = [
  "members",
  "audit",
  "apiKeys",
  "models",
  "knowledge",
  "bots",
  "channels",
  "analytics",
  "experiments",
  "contacts",
  "integrations",
  "connectors",
  "triggers",
];

/**
 * Procedures of covered routers the table cannot drive, each with why and where it is tested
 * instead. Keep this short: every entry has a REST twin all the same.
 */
export const parityExempt: Readonly<Record<string, string>> = {
  // Its `state` is bound to whoever started the connection (and in the studio to the browser
  // session), so a row's setup cannot start it for the acting caller; the twin is
  // POST /api/v1/integrations/oauth/callback (apps/runtime/src/integrations-oauth-rest.test.ts).
  "integrations.completeConnect": "state bound to the caller that started the connection",
};
