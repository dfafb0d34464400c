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
];
