"use client";

import type { Timeseries } from "@parley/contract";
import { Card } from "@radix-ui/themes";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const label = (iso: string, interval: Timeseries["interval"]) => {
  const date = new Date(iso);
  return interval === "day"
    ? date.toLocaleDateString()
    : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
};

/** A metric over time (one line; the previous period as a dashed line when given, aligned by position). */
export function TimeseriesChart({
  series,
  previous,
}: {
  series: Timeseries;
  previous?: Timeseries | undefined;
}) {
  const data = series.points.map((point, index) => ({
    t: label(point.t, series.interval),
    value: point.value,
    ...(previous ? { previous: previous.points[index]?.value ?? null } : {}),
  }));
  if (data.length === 0) return <p className="muted">No {series.metric} in this range yet.</p>;
  return (
    <Card mb="3" data-testid="timeseries-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" minTickGap={24} />
          <YAxis allowDecimals={series.metric === "llmCost"} />
          <Tooltip />
          <Line
            type="monotone"
            dataKey="value"
            name={series.metric}
            stroke="#3b5bdb"
            dot={false}
            isAnimationActive={false}
          />
          {previous && (
            <Line
              type="monotone"
              dataKey="previous"
              name="previous period"
              stroke="#a0aec0"
              strokeDasharray="4 4"
              dot={false}
              isAnimationActive={false}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </Card>
  );
}
