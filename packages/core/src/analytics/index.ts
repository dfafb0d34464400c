/** The analytics engine: summaries, node drop-off, time series, costs, rollups, retention and erase. */
export { getLlmCosts } from "./costs";
export { summaryToCsv, timeseriesToCsv } from "./csv";
export { eraseAnalyticsPersonalData, NON_PERSONAL_EVENT_PROPERTIES } from "./erase";
export { getFlowNodeAnalytics } from "./nodes";
export { abandonmentTimeoutOf } from "./range";
export {
  DEFAULT_RETENTION_DAYS,
  ROLLUP_SETTLE_MS,
  type RollupOutcome,
  rollUpTenant,
  runAnalyticsMaintenance,
} from "./rollup";
export { getBotAnalyticsSummary, getWorkspaceAnalyticsSummary } from "./summary";
export { enableTimescaleIfPresent, type TimescaleStatus } from "./timescale";
export { getBotTimeseries } from "./timeseries";
export { type ConversationPath, collapseRepeats, enteredNodes, nodeFunnel, pathOf } from "./turn-path";
