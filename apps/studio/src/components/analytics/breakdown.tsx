"use client";

import type { AnalyticsBreakdownRow } from "@parley/contract";
import { Card, Table, Text } from "@radix-ui/themes";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Section } from "../ui/section";

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
    <Section id={testId} title={title} data-testid={testId}>
      {rows.length === 0 ? (
        <Text as="p" size="2" color="gray">
          No conversations in this range.
        </Text>
      ) : (
        <>
          <Card mb="3">
            <ResponsiveContainer width="100%" height={160}>
              <BarChart data={data} layout="vertical" margin={{ left: 24 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--gray-a5)" />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="name" width={120} />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="completed"
                  stackId="a"
                  fill="var(--green-9)"
                  name="Completed"
                  isAnimationActive={false}
                />
                <Bar
                  dataKey="other"
                  stackId="a"
                  fill="var(--gray-8)"
                  name="Not completed"
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </Card>
          <Table.Root variant="surface">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>{title.replace(/^By /, "")}</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Conversations</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Completed</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Completion</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Containment</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Handoff rate</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {rows.map((row) => (
                <Table.Row key={row.key}>
                  <Table.Cell>{row.label ?? row.key}</Table.Cell>
                  <Table.Cell className="num">{row.conversations}</Table.Cell>
                  <Table.Cell className="num">{row.completed}</Table.Cell>
                  <Table.Cell className="num">{percent(row.completionRate)}</Table.Cell>
                  <Table.Cell className="num">{percent(row.containmentRate)}</Table.Cell>
                  <Table.Cell className="num">{percent(row.handoffRate)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </>
      )}
    </Section>
  );
}
