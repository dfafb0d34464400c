"use client";

import type { AnalyticsBreakdownRow } from "@parley/contract";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** A breakdown (by channel, flow version, variant or bot): a stacked bar chart and the table. */
export function Breakdown({
  title,
  rows,
  testId,
}: {
  title: string;
  rows: AnalyticsBreakdownRow[];
  testId: string;
}) {
  const data = rows.map((row) => ({
    name: row.label ?? row.key,
    completed: row.completed,
    other: row.conversations - row.completed,
  }));
  return (
    <section className="section" data-testid={testId}>
      <div className="section-head">
        <h2>{title}</h2>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No conversations in this range.</p>
      ) : (
        <>
          <div className="chart-box small">
            <ResponsiveContainer width="100%" height={160}>
              <BarChart data={data} layout="vertical" margin={{ left: 24 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="name" width={120} />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="completed"
                  stackId="a"
                  fill="#2f855a"
                  name="Completed"
                  isAnimationActive={false}
                />
                <Bar
                  dataKey="other"
                  stackId="a"
                  fill="#a0aec0"
                  name="Not completed"
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table>
            <thead>
              <tr>
                <th>{title.replace(/^By /, "")}</th>
                <th className="num">Conversations</th>
                <th className="num">Completed</th>
                <th className="num">Completion</th>
                <th className="num">Containment</th>
                <th className="num">Handoff rate</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <td>{row.label ?? row.key}</td>
                  <td className="num">{row.conversations}</td>
                  <td className="num">{row.completed}</td>
                  <td className="num">{percent(row.completionRate)}</td>
                  <td className="num">{percent(row.containmentRate)}</td>
                  <td className="num">{percent(row.handoffRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
