import type { AnyRouteSpec } from "../route-spec";
import { analyticsRoutes } from "./analytics-routes";
import { auditRoutes } from "./audit-routes";
import { channelRoutes } from "./channel-routes";
import { connectorRoutes } from "./connector-routes";
import { contactRoutes } from "./contact-routes";
import { conversationEventsRoute } from "./conversation-events-route";
import { conversationRoutes } from "./conversation-routes";
import { experimentRoutes } from "./experiment-routes";
import { identityRoutes } from "./identity-routes";
import { inboxRoutes } from "./inbox-routes";
import { integrationRoutes } from "./integration-routes";
import { knowledgeRoutes } from "./knowledge-routes";
import { managementRoutes } from "./management-routes";
import { membersRoutes } from "./members-routes";
import { modelRoutes } from "./model-routes";
import { resultsRoutes } from "./results-routes";
import { triggerRoutes } from "./trigger-routes";
import { whatsappTemplateRoutes } from "./whatsapp-template-routes";
import { widgetConfigRoute } from "./widget-config-route";

/**
 * Every REST operation of API v1: the one list the server registers and the OpenAPI document
 * (and so `@parley/client`) is built from. A new route table is one line here.
 */
export const allRoutes: readonly AnyRouteSpec[] = [
  ...conversationRoutes,
  ...managementRoutes,
  ...integrationRoutes,
  ...modelRoutes,
  ...knowledgeRoutes,
  ...identityRoutes,
  ...membersRoutes,
  ...auditRoutes,
  ...analyticsRoutes,
  widgetConfigRoute,
  ...channelRoutes,
  ...whatsappTemplateRoutes,
  ...inboxRoutes,
  conversationEventsRoute,
  ...resultsRoutes,
  ...contactRoutes,
  ...experimentRoutes,
  ...connectorRoutes,
  ...triggerRoutes,
];
