"use client";

import type { AnalyticsSummary } from "@parley/contract";
import { Box, Card, Flex, Grid, Text } from "@radix-ui/themes";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const seconds = (value: number | null) =>
  value === null ? "–" : value < 90 ? `${value.toFixed(0)} s` : `${(value / 60).toFixed(1)} min`;

/** The KPIs shown for a summary, with how to format each and whether higher is better. */
const KPIS: {
  key: keyof AnalyticsSummary;
  label: string;
  format(value: number | null): string;
  better: 1 | -1;
}[] = [
  { key: "conversations", label: "Conversations", format: (v) => String(v ?? 0), better: 1 },
  { key: "completionRate", label: "Completion", format: (v) => percent(v ?? 0), better: 1 },
  { key: "containmentRate", label: "Containment", format: (v) => percent(v ?? 0), better: 1 },
  { key: "handoffRate", label: "Handoff rate", format: (v) => percent(v ?? 0), better: -1 },
  { key: "csatAverage", label: "CSAT", format: (v) => (v === null ? "–" : `${v.toFixed(2)} / 5`), better: 1 },
  { key: "avgTurns", label: "Avg turns", format: (v) => (v ?? 0).toFixed(1), better: 1 },
  { key: "avgDurationSeconds", label: "Avg duration", format: seconds, better: -1 },
  { key: "llmCost", label: "LLM cost", format: (v) => `$${(v ?? 0).toFixed(4)}`, better: -1 },
];

function delta(current: number | null, previous: number | null, better: 1 | -1) {
  if (current === null || previous === null) return null;
  if (previous === 0) return current === 0 ? null : { text: "new", good: better === 1 };
  const change = (current - previous) / Math.abs(previous);
  return { text: `${change >= 0 ? "+" : ""}${(change * 100).toFixed(0)}%`, good: change * better >= 0 };
}

/** The KPI cards of a summary, each with its change against the previous period when given. */
export function KpiGrid({
  summary,
  previous,
}: {
  summary: AnalyticsSummary;
  previous?: AnalyticsSummary | undefined;
}) {
  return (
    <Grid columns="repeat(auto-fill, minmax(150px, 1fr))" gap="3" mb="5">
      {KPIS.map((kpi) => {
        const value = summary[kpi.key] as number | null;
        const change = previous ? delta(value, previous[kpi.key] as number | null, kpi.better) : null;
        return (
          <Card key={kpi.key} data-testid={`kpi-${kpi.key}`}>
            <Text as="div" size="1" color="gray">
              {kpi.label}
            </Text>
            <Text
              as="div"
              size="6"
              weight="bold"
              className="kpi-value"
              style={{ fontVariantNumeric: "tabular-nums" }}
            >
              {kpi.format(value)}
            </Text>
            {previous && (
              <Text
                as="div"
                size="1"
                className="kpi-delta"
                color={change ? (change.good ? "green" : "red") : undefined}
              >
                {change ? change.text : "±0"}{" "}
                <Text color="gray">vs {kpi.format(previous[kpi.key] as number | null)}</Text>
              </Text>
            )}
          </Card>
        );
      })}
    </Grid>
  );
}

/** The live counters: open conversations and those gone quiet (refetched every few seconds). */
export function LiveCounters({ summary }: { summary: AnalyticsSummary }) {
  return (
    <Flex as="div" align="center" gap="1" aria-live="polite">
      <Box
        as="span"
        aria-hidden="true"
        width="8px"
        height="8px"
        style={{ borderRadius: "50%", background: "var(--green-9)", display: "inline-block" }}
      />{" "}
      Live: <strong data-testid="live-active">{summary.active}</strong> open,{" "}
      <strong>{summary.abandoned}</strong> gone quiet, <strong>{summary.messages}</strong> messages
    </Flex>
  );
}
