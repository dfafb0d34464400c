"use client";

import type { CostsQuery } from "@parley/contract";
import { Box, Card, Flex, Heading, Progress, Strong, Table, Text } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { Section } from "../ui/section";
import { SimpleSelect } from "../ui/simple-select";
import type { AnalyticsRange } from "./range";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const ms = (value: number | null) => (value === null ? "–" : `${value.toFixed(0)} ms`);

/** LLM spend, tokens, cache hit rate, fallback rate and p50/p95 latency per provider/model/route/bot, and budget burn. */
export function CostsView({ range, botId }: { range: AnalyticsRange; botId?: string }) {
  const trpc = useTRPC();
  const [groupBy, setGroupBy] = useState<NonNullable<CostsQuery["groupBy"]>>("provider");
  const costs = useQuery(
    trpc.analytics.costs.queryOptions({ ...range, groupBy, ...(botId ? { botId } : {}) }),
  );
  return (
    <Section
      id="costs"
      title="Costs"
      data-testid="costs-view"
      actions={
        <Flex gap="2" align="center">
          <Text size="2">by</Text>
          <SimpleSelect
            aria-label="Group costs by"
            value={groupBy}
            onValueChange={(value) => setGroupBy(value as typeof groupBy)}
            options={["provider", "model", "route", ...(botId ? [] : ["bot"])]}
          />
        </Flex>
      }
    >
      {costs.error && <FormError error={costs.error} />}
      {costs.data && (
        <>
          <Text as="p" size="2" mb="3">
            <Strong>${costs.data.total.spendUsd.toFixed(4)}</Strong> over {costs.data.total.calls} calls,{" "}
            {costs.data.total.inputTokens + costs.data.total.outputTokens} tokens, cache hits{" "}
            {percent(costs.data.total.cacheHitRate)}, fallbacks {percent(costs.data.total.fallbackRate)}, p50{" "}
            {ms(costs.data.total.p50LatencyMs)}, p95 {ms(costs.data.total.p95LatencyMs)}.
          </Text>
          {costs.data.rows.length > 0 && (
            <Card mb="3">
              <ResponsiveContainer width="100%" height={160}>
                <BarChart data={costs.data.rows.map((row) => ({ name: row.key, spend: row.spendUsd }))}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--gray-a5)" />
                  <XAxis dataKey="name" />
                  <YAxis />
                  <Tooltip />
                  <Bar dataKey="spend" name="USD" fill="var(--accent-9)" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </Card>
          )}
          <Table.Root variant="surface">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>{groupBy}</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Calls</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Spend (USD)</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Tokens in / out</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Cache hits</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">Fallbacks</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">p50</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell className="num">p95</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {costs.data.rows.length === 0 && (
                <Table.Row>
                  <Table.Cell colSpan={8}>
                    <Text color="gray">No model calls in this range.</Text>
                  </Table.Cell>
                </Table.Row>
              )}
              {costs.data.rows.map((row) => (
                <Table.Row key={row.key}>
                  <Table.Cell>{row.key}</Table.Cell>
                  <Table.Cell className="num">{row.calls}</Table.Cell>
                  <Table.Cell className="num">{row.spendUsd.toFixed(4)}</Table.Cell>
                  <Table.Cell className="num">
                    {row.inputTokens} / {row.outputTokens}
                  </Table.Cell>
                  <Table.Cell className="num">{percent(row.cacheHitRate)}</Table.Cell>
                  <Table.Cell className="num">{percent(row.fallbackRate)}</Table.Cell>
                  <Table.Cell className="num">{ms(row.p50LatencyMs)}</Table.Cell>
                  <Table.Cell className="num">{ms(row.p95LatencyMs)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
          {costs.data.budgets.length > 0 && (
            <Box mt="4">
              <Heading as="h3" size="3" mb="2">
                Budget burn (this month)
              </Heading>
              <Flex asChild direction="column" gap="2" m="0" p="0" style={{ listStyle: "none" }}>
                <ul>
                  {costs.data.budgets.map((budget) => {
                    const owner = budget.botId ? `Bot ${budget.botId.slice(0, 8)}…` : "Workspace";
                    return (
                      <Flex asChild key={budget.budgetId} gap="3" align="center" wrap="wrap">
                        <li>
                          <Text size="2">
                            {owner}: ${budget.spentUsd.toFixed(2)} of ${budget.monthlyLimitUsd.toFixed(2)}
                          </Text>
                          <Box width="160px">
                            <Progress
                              value={Math.min(budget.burn, 1) * 100}
                              color={budget.burn >= 1 ? "red" : budget.burn >= 0.8 ? "amber" : undefined}
                              aria-label={`Budget burn, ${owner}`}
                            />
                          </Box>
                          <Text size="2">{percent(budget.burn)}</Text>
                        </li>
                      </Flex>
                    );
                  })}
                </ul>
              </Flex>
            </Box>
          )}
        </>
      )}
    </Section>
  );
}
