/**
 * Model settings: providers (keys write-only), routes, budgets, prices, routing preferences and "try
 * it", as the studio's models page and the REST API (`/api/v1/model-*`) use them. Authorization,
 * consistency checks and audit live here; @parley/models stores and runs them.
 */
export {
  createModelBudget,
  deleteModelBudget,
  listModelBudgets,
  saveModelBudget,
  updateModelBudget,
} from "./budgets";
export { toServiceError, withModelErrors } from "./model-errors";
export { botModelStatus } from "./offline-status";
export { deleteModelPrice, getModelPrices, type PriceView, saveModelPrice } from "./prices";
export {
  createModelProvider,
  deleteModelProvider,
  listModelProviders,
  saveModelProvider,
  updateModelProvider,
} from "./providers";
export {
  createModelRoute,
  deleteModelRoute,
  listModelRoutes,
  type ModelChoices,
  modelChoices,
  saveModelRoute,
  updateModelRoute,
} from "./routes";
export {
  getBotModelRouting,
  getModelRouting,
  getTenantModelRouting,
  type ModelRoutingView,
  saveBotModelRouting,
  saveTenantModelRouting,
} from "./routing";
export { tryModelPrompt, tryModelRoute } from "./try-prompt";
