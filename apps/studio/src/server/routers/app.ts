import { router } from "../trpc";
import { accountRouter } from "./account";
import { apiKeysRouter } from "./api-keys";
import { auditRouter } from "./audit";
import { authRouter } from "./auth";
import { botsRouter } from "./bots";
import { connectorsRouter } from "./connectors";
import { flowsRouter } from "./flows";
import { knowledgeRouter } from "./knowledge";
import { membersRouter } from "./members";
import { modelsRouter } from "./models";
import { tenantsRouter } from "./tenants";
import { triggersRouter } from "./triggers";

/** The studio's whole tRPC API. */
export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
  bots: botsRouter,
  flows: flowsRouter,
  audit: auditRouter,
  models: modelsRouter,
  knowledge: knowledgeRouter,
  connectors: connectorsRouter,
  triggers: triggersRouter,
});

/** The API's type, for the client. */
export type AppRouter = typeof appRouter;
