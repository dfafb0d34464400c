"use client";

import type { ExperimentView } from "@parley/contract";
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
    <section className="card experiment" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {experiment.name}{" "}
        <span
          className={`badge ${experiment.status === "running" ? "ok" : experiment.status === "draft" ? "warn" : ""}`}
        >
          {experiment.status}
        </span>
      </h2>
      <p className="muted">
        {experiment.variants.map((variant) => `${variant.key} (weight ${variant.weight})`).join(" vs ")}
        {experiment.abSplitNodeId ? ` at ab-split node ${experiment.abSplitNodeId}` : " on pinned versions"}
        {`; goal: ${goalText(experiment.goal)}.`}
      </p>
      {canManage && (
        <div className="form-actions">
          {experiment.status === "draft" && (
            <button
              type="button"
              className="primary"
              onClick={() => start.mutate({ experimentId: experiment.id })}
              disabled={start.isPending}
            >
              Start
            </button>
          )}
          {experiment.status === "running" && (
            <button
              type="button"
              onClick={() => stop.mutate({ experimentId: experiment.id })}
              disabled={stop.isPending}
            >
              Stop
            </button>
          )}
        </div>
      )}
      <FormError error={start.error ?? stop.error ?? promote.error} />
      {results.error ? <FormError error={results.error} /> : null}
      {results.data && words && (
        <>
          <ResultsChart variants={results.data.variants} />
          <table className="table" aria-label={`Results of ${experiment.name}`}>
            <thead>
              <tr>
                <th scope="col">Variant</th>
                <th scope="col">Conversations</th>
                <th scope="col">Conversions</th>
                <th scope="col">Rate</th>
                <th scope="col">95% interval</th>
                {canManage && experiment.status !== "draft" && <th scope="col">Promote</th>}
              </tr>
            </thead>
            <tbody>
              {results.data.variants.map((variant, index) => (
                <tr key={variant.key}>
                  <th scope="row">
                    {variant.key}
                    {index === 0 ? " (control)" : ""}
                    {results.data.winner === variant.key ? " 🏆 winner" : ""}
                  </th>
                  <td>{variant.conversations}</td>
                  <td>{variant.conversions}</td>
                  <td>{(variant.rate * 100).toFixed(1)}%</td>
                  <td>
                    {(variant.ci95[0] * 100).toFixed(1)}% – {(variant.ci95[1] * 100).toFixed(1)}%
                  </td>
                  {canManage && experiment.status !== "draft" && (
                    <td>
                      <button
                        type="button"
                        className={results.data.winner === variant.key ? "primary" : ""}
                        onClick={() => setPromoting(variant.key)}
                      >
                        {results.data.winner === variant.key
                          ? "Promote the winner"
                          : `Promote ${variant.key}`}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="significance">{words.verdict}</p>
          {words.bayes && <p data-testid="bayes">{words.bayes}</p>}
          <p className="muted" data-testid="sample-size">
            {words.sample}
          </p>
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
          This publishes variant <b>{promoting}</b> as a new version of the bot's flow: every new conversation
          starts on it, and the experiment stops. The action is recorded in the audit log.
        </p>
      </ConfirmDialog>
    </section>
  );
}
