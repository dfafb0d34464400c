"use client";

import type { AnalyticsMetric } from "@parley/contract";
import { Button, Flex } from "@radix-ui/themes";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { PageSkeleton } from "../ui/page";
import { Section } from "../ui/section";
import { SimpleSelect } from "../ui/simple-select";
import { Breakdown } from "./breakdown";
import { CostsView } from "./costs-view";
import { KpiGrid, LiveCounters } from "./kpi-grid";
import { download, intervalOf, LIVE_REFETCH_MS, type RangePresetId, rangesOf } from "./range";
import { RangePicker } from "./range-picker";
import { TimeseriesChart } from "./timeseries-chart";
import { useClock } from "./use-clock";

const METRICS: { id: AnalyticsMetric; label: string }[] = [
  { id: "conversations", label: "Conversations" },
  { id: "completed", label: "Completed" },
  { id: "handoffs", label: "Handoffs" },
  { id: "turns", label: "Turns" },
  { id: "messages", label: "Messages" },
  { id: "llmCost", label: "LLM cost" },
];

/** The Analytics tab of a bot: KPIs, live counters, a chart over time, breakdowns, costs and CSV export. */
export function BotAnalytics({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const [preset, setPreset] = useState<RangePresetId>("7d");
  const [compare, setCompare] = useState(false);
  const [metric, setMetric] = useState<AnalyticsMetric>("conversations");
  // Recomputed at every render: the range ends at the next whole minute, so it moves with the clock
  // once a minute (a new query key) and the live refetches in between reuse the same key.
  const now = useClock(30_000);
  const { current, previous } = rangesOf(preset, now);
  const live = { refetchInterval: LIVE_REFETCH_MS, placeholderData: keepPreviousData } as const;
  const summary = useQuery({ ...trpc.analytics.botSummary.queryOptions({ botId, ...current }), ...live });
  const before = useQuery({
    ...trpc.analytics.botSummary.queryOptions({ botId, ...previous }),
    enabled: compare,
  });
  const interval = intervalOf(preset);
  const series = useQuery({
    ...trpc.analytics.timeseries.queryOptions({ botId, metric, interval, ...current }),
    ...live,
  });
  const seriesBefore = useQuery({
    ...trpc.analytics.timeseries.queryOptions({ botId, metric, interval, ...previous }),
    enabled: compare,
  });
  const [exporting, setExporting] = useState<string | null>(null);
  const exportCsv = trpc.analytics.exportCsv;
  const client = useQuery({
    ...exportCsv.queryOptions({ kind: "botSummary", botId, ...current }),
    enabled: false,
  });
  const seriesCsv = useQuery({
    ...exportCsv.queryOptions({ kind: "timeseries", botId, metric, interval, ...current }),
    enabled: false,
  });
  return (
    <div>
      <RangePicker preset={preset} onPreset={setPreset} compare={compare} onCompare={setCompare} />
      {summary.error && <FormError error={summary.error} />}
      {summary.data && (
        <>
          <LiveCounters summary={summary.data} />
          <KpiGrid summary={summary.data} previous={compare ? before.data : undefined} />
          <Section
            id="over-time"
            title="Over time"
            actions={
              <Flex gap="2" align="center">
                <SimpleSelect
                  aria-label="Metric"
                  value={metric}
                  onValueChange={(value) => setMetric(value as AnalyticsMetric)}
                  options={METRICS.map((m) => ({ value: m.id, label: m.label }))}
                />
                <Button
                  size="1"
                  variant="soft"
                  color="gray"
                  type="button"
                  disabled={exporting !== null}
                  onClick={async () => {
                    setExporting("series");
                    const result = await seriesCsv.refetch();
                    setExporting(null);
                    if (result.data) download(`${metric}-${interval}.csv`, result.data.csv);
                  }}
                >
                  Export CSV
                </Button>
              </Flex>
            }
          >
            {series.error && <FormError error={series.error} />}
            {series.data && (
              <TimeseriesChart series={series.data} previous={compare ? seriesBefore.data : undefined} />
            )}
          </Section>
          <Flex mt="4">
            <Button
              variant="soft"
              color="gray"
              type="button"
              disabled={exporting !== null}
              data-testid="export-summary"
              onClick={async () => {
                setExporting("summary");
                const result = await client.refetch();
                setExporting(null);
                if (result.data) download("analytics-summary.csv", result.data.csv);
              }}
            >
              {exporting === "summary" ? "Exporting…" : "Export summary as CSV"}
            </Button>
          </Flex>
          <Breakdown title="By channel" rows={summary.data.byChannel} testId="by-channel" />
          <Breakdown title="By flow version" rows={summary.data.byFlowVersion} testId="by-flow-version" />
          <Breakdown title="By variant" rows={summary.data.byVariant} testId="by-variant" />
          <CostsView range={current} botId={botId} />
        </>
      )}
      {summary.isLoading && <PageSkeleton />}
    </div>
  );
}
