"use client";

import type { ExperimentView } from "@parley/contract";
import { Badge, Button, Card, Flex, Heading, Table, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { ConfirmDialog } from "./promote-dialog";
import { ResultsChart } from "./results-chart";
import { describeResults } from "./significance";

/** How often live results are fetched again while an experiment runs. */
const LIVE_REFRESH_MS = 3000;

const goalText = (goal: ExperimentView["goal"]) =>
  goal.type === "node"
    ? `reaching node ${goal.nodeId}`
    : goal.type === "variable"
      ? `setting ${goal.name}`
      : `event ${goal.event}`;

/** One experiment: its design, start/stop, live results in a chart and in words, and promotion. */
export function ExperimentCard({
  experiment,
  canManage,
}: {
  experiment: ExperimentView;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const results = useQuery({
    ...trpc.experiments.results.queryOptions({ experimentId: experiment.id }),
    refetchInterval: experiment.status === "running" ? LIVE_REFRESH_MS : false,
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({
        queryKey: trpc.experiments.list.queryKey({ botId: experiment.botId }),
      }),
      queryClient.invalidateQueries({
        queryKey: trpc.experiments.results.queryKey({ experimentId: experiment.id }),
      }),
    ]);
  const start = useMutation(trpc.experiments.start.mutationOptions({ onSuccess: refresh }));
  const stop = useMutation(trpc.experiments.stop.mutationOptions({ onSuccess: refresh }));
  const promote = useMutation(trpc.experiments.promote.mutationOptions({ onSuccess: refresh }));
  const [promoting, setPromoting] = useState<string | null>(null);
  const words = results.data ? describeResults(results.data) : null;
  const headingId = `experiment-${experiment.id}`;

  return (
    <Card size="3" mb="3" className="experiment" asChild>
      <section aria-labelledby={headingId}>
        <Heading as="h2" size="4" id={headingId}>
          {experiment.name}{" "}
          <Badge
            data-testid="experiment-status"
            color={
              experiment.status === "running" ? "green" : experiment.status === "draft" ? "amber" : "gray"
            }
          >
            {experiment.status}
          </Badge>
        </Heading>
        <Text as="p" size="2" color="gray" mt="1">
          {experiment.variants.map((variant) => `${variant.key} (weight ${variant.weight})`).join(" vs ")}
          {experiment.abSplitNodeId ? ` at ab-split node ${experiment.abSplitNodeId}` : " on pinned versions"}
          {`; goal: ${goalText(experiment.goal)}.`}
        </Text>
        {canManage && (
          <Flex gap="2" mt="3">
            {experiment.status === "draft" && (
              <Button
                type="button"
                onClick={() => start.mutate({ experimentId: experiment.id })}
                disabled={start.isPending}
              >
                Start
              </Button>
            )}
            {experiment.status === "running" && (
              <Button
                variant="soft"
                color="gray"
                type="button"
                onClick={() => stop.mutate({ experimentId: experiment.id })}
                disabled={stop.isPending}
              >
                Stop
              </Button>
            )}
          </Flex>
        )}
        <FormError error={start.error ?? stop.error ?? promote.error} />
        {results.error ? <FormError error={results.error} /> : null}
        {results.data && words && (
          <>
            <ResultsChart variants={results.data.variants} />
            <Table.Root variant="surface" className="table">
              {/* Radix puts Table.Root's props on its wrapper: the caption names the table itself. */}
              <caption className="sr-only">{`Results of ${experiment.name}`}</caption>
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeaderCell scope="col">Variant</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell scope="col">Conversations</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell scope="col">Conversions</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell scope="col">Rate</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell scope="col">95% interval</Table.ColumnHeaderCell>
                  {canManage && experiment.status !== "draft" && (
                    <Table.ColumnHeaderCell scope="col">Promote</Table.ColumnHeaderCell>
                  )}
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {results.data.variants.map((variant, index) => (
                  <Table.Row key={variant.key}>
                    <Table.ColumnHeaderCell scope="row">
                      {variant.key}
                      {index === 0 ? " (control)" : ""}
                      {results.data.winner === variant.key ? " 🏆 winner" : ""}
                    </Table.ColumnHeaderCell>
                    <Table.Cell>{variant.conversations}</Table.Cell>
                    <Table.Cell>{variant.conversions}</Table.Cell>
                    <Table.Cell>{(variant.rate * 100).toFixed(1)}%</Table.Cell>
                    <Table.Cell>
                      {(variant.ci95[0] * 100).toFixed(1)}% – {(variant.ci95[1] * 100).toFixed(1)}%
                    </Table.Cell>
                    {canManage && experiment.status !== "draft" && (
                      <Table.Cell>
                        <Button
                          variant={results.data.winner === variant.key ? "solid" : "soft"}
                          color={results.data.winner === variant.key ? undefined : "gray"}
                          type="button"
                          onClick={() => setPromoting(variant.key)}
                        >
                          {results.data.winner === variant.key
                            ? "Promote the winner"
                            : `Promote ${variant.key}`}
                        </Button>
                      </Table.Cell>
                    )}
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
            <Text as="p" size="2" mt="3" data-testid="significance">
              {words.verdict}
            </Text>
            {words.bayes && (
              <Text as="p" size="2" mt="1" data-testid="bayes">
                {words.bayes}
              </Text>
            )}
            <Text as="p" size="2" color="gray" mt="1" data-testid="sample-size">
              {words.sample}
            </Text>
          </>
        )}
        <ConfirmDialog
          open={promoting !== null}
          title={`Promote ${promoting ?? ""}?`}
          confirmLabel={`Publish ${promoting ?? ""}`}
          busy={promote.isPending}
          onClose={() => setPromoting(null)}
          onConfirm={async () => {
            if (!promoting) return;
            try {
              await promote.mutateAsync({ experimentId: experiment.id, variantKey: promoting });
            } finally {
              setPromoting(null);
            }
          }}
        >
          <p>
            This publishes variant <b>{promoting}</b> as a new version of the bot's flow: every new
            conversation starts on it, and the experiment stops. The action is recorded in the audit log.
          </p>
        </ConfirmDialog>
      </section>
    </Card>
  );
}
