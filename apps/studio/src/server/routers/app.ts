import { router } from "../trpc";
import { accountRouter } from "./account";
import { analyticsRouter } from "./analytics";
import { apiKeysRouter } from "./api-keys";
import { auditRouter } from "./audit";
import { authRouter } from "./auth";
import { botsRouter } from "./bots";
import { channelsRouter } from "./channels";
import { connectorsRouter } from "./connectors";
import { contactsRouter } from "./contacts";
import { conversationsRouter } from "./conversations";
import { experimentsRouter } from "./experiments";
import { flowsRouter } from "./flows";
import { inboxRouter } from "./inbox";
import { integrationsRouter } from "./integrations";
import { knowledgeRouter } from "./knowledge";
import { membersRouter } from "./members";
import { modelsRouter } from "./models";
import { tenantsRouter } from "./tenants";
import { triggersRouter } from "./triggers";
import { whatsappRouter } from "./whatsapp";

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
  channels: channelsRouter,
  whatsapp: whatsappRouter,
  inbox: inboxRouter,
  conversations: conversationsRouter,
  contacts: contactsRouter,
  analytics: analyticsRouter,
  experiments: experimentsRouter,
  integrations: integrationsRouter,
  connectors: connectorsRouter,
  triggers: triggersRouter,
});

/** The API's type, for the client. */
export type AppRouter = typeof appRouter;
