"use client";
import { Button, Flex } from "@radix-ui/themes";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { PageSkeleton } from "../ui/page";
import { Breakdown } from "./breakdown";
import { CostsView } from "./costs-view";
import { KpiGrid, LiveCounters } from "./kpi-grid";
import { download, LIVE_REFETCH_MS, type RangePresetId, rangesOf } from "./range";
import { RangePicker } from "./range-picker";
import { useClock } from "./use-clock";

/** The workspace overview: every bot together, per bot, per channel, version and variant, and costs. */
export function WorkspaceAnalytics() {
  const trpc = useTRPC();
  const [preset, setPreset] = useState<RangePresetId>("7d");
  const [compare, setCompare] = useState(false);
  const now = useClock(30_000);
  const { current, previous } = rangesOf(preset, now);
  const summary = useQuery({
    ...trpc.analytics.workspaceSummary.queryOptions(current),
    refetchInterval: LIVE_REFETCH_MS,
    placeholderData: keepPreviousData,
  });
  const before = useQuery({ ...trpc.analytics.workspaceSummary.queryOptions(previous), enabled: compare });
  const csv = useQuery({
    ...trpc.analytics.exportCsv.queryOptions({ kind: "workspaceSummary", ...current }),
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
          <Flex mt="4">
            <Button
              variant="soft"
              color="gray"
              type="button"
              onClick={async () => {
                const result = await csv.refetch();
                if (result.data) download("workspace-analytics.csv", result.data.csv);
              }}
            >
              Export as CSV
            </Button>
          </Flex>
          <Breakdown title="By bot" rows={summary.data.byBot} testId="by-bot" />
          <Breakdown title="By channel" rows={summary.data.byChannel} testId="by-channel" />
          <Breakdown title="By variant" rows={summary.data.byVariant} testId="by-variant" />
          <CostsView range={current} />
        </>
      )}
      {summary.isLoading && <PageSkeleton />}
    </div>
  );
}
