import type { AnalyticsSummary, Timeseries } from "@parley/contract";

/** A CSV field: quoted when it holds a comma, quote or line break; formula-leading text neutralized. */
function field(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  // A spreadsheet would run "=cmd()" as a formula (CSV injection): prefix such text with a quote.
  if (/^[=+\-@\t\r]/.test(text) && Number.isNaN(Number(text))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (values: readonly unknown[]) => `${values.map(field).join(",")}\r\n`;

/** A summary as CSV: one `section,key,metric,value` row per figure (totals, then each breakdown). */
export function summaryToCsv(summary: AnalyticsSummary & { byBot?: AnalyticsSummary["byChannel"] }): string {
  let csv = line(["section", "key", "metric", "value"]);
  for (const [metric, value] of Object.entries(summary)) {
    if (Array.isArray(value)) continue;
    csv += line(["total", "", metric, value]);
  }
  const sections = {
    byChannel: summary.byChannel,
    byFlowVersion: summary.byFlowVersion,
    byVariant: summary.byVariant,
    ...(summary.byBot ? { byBot: summary.byBot } : {}),
  };
  for (const [section, rows] of Object.entries(sections)) {
    for (const row of rows) {
      for (const [metric, value] of Object.entries(row)) {
        if (metric === "key") continue;
        csv += line([section, row.key, metric, value]);
      }
    }
  }
  return csv;
}

/** A time series as CSV: `t,<metric>` per bucket. */
export function timeseriesToCsv(series: Timeseries): string {
  return line(["t", series.metric]) + series.points.map((point) => line([point.t, point.value])).join("");
}
