"use client";

import type { CreateExperimentInput, ExperimentGoal } from "@parley/contract";
import { Button } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, type FieldErrors, FormProblems, invalidProps, issuesOf } from "../field";
import { Combobox } from "../ui/combobox";
import { SimpleSelect } from "../ui/simple-select";

interface FlowNode {
  id: string;
  kind: string;
  label?: string;
  data?: { variants?: { id: string; label?: string }[] };
}

/** Field problems keyed by the experiment's own paths (the tRPC input nests it under `experiment`). */
function experimentIssues(error: unknown): FieldErrors {
  const byPath: Record<string, string> = {};
  for (const [path, message] of Object.entries(issuesOf(error)))
    byPath[path.replace(/^experiment\./, "")] ??= message;
  return byPath;
}

const SUGGESTED_EVENTS = ["conversation.ended", "handoff.requested", "conversation.started"];

/**
 * The form that drafts an experiment: from two published versions of the bot's entry flow, or
 * from the branches of an ab-split node; weights; and a goal picked from the flow's nodes, its
 * variables, or an analytics event.
 */
export function CreateExperiment({ botId, entryFlowId }: { botId: string; entryFlowId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const flow = useQuery(trpc.flows.get.queryOptions({ flowId: entryFlowId }));
  const versions = useQuery(trpc.flows.versions.queryOptions({ flowId: entryFlowId }));
  const create = useMutation(trpc.experiments.create.mutationOptions());
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"versions" | "split">("versions");
  const [controlVersion, setControlVersion] = useState("");
  const [challengerVersion, setChallengerVersion] = useState("");
  const [splitNode, setSplitNode] = useState("");
  const [weights, setWeights] = useState<Record<string, string>>({});
  const [goalType, setGoalType] = useState<ExperimentGoal["type"]>("node");
  const [goalValue, setGoalValue] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});

  const document = flow.data?.draft as { nodes?: FlowNode[]; variables?: { name: string }[] } | undefined;
  const nodes = document?.nodes ?? [];
  const splits = nodes.filter((node) => node.kind === "ab-split");
  const published = (versions.data ?? []).filter((version) => version.status === "published");
  const split = splits.find((node) => node.id === splitNode);
  const keys =
    mode === "versions"
      ? ["control", "challenger"]
      : (split?.data?.variants ?? []).map((variant) => variant.id);
  const weightOf = (key: string) => weights[key] ?? "50";
  const errors = { ...experimentIssues(create.error), ...localErrors };

  function input(): CreateExperimentInput | null {
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = "give the experiment a name";
    if (mode === "versions") {
      if (!controlVersion) problems["variants.0.flowVersionId"] = "choose the control's version";
      if (!challengerVersion) problems["variants.1.flowVersionId"] = "choose the challenger's version";
    } else if (!split) problems.abSplitNodeId = "choose an ab-split node";
    keys.forEach((key, index) => {
      if (!(Number(weightOf(key)) > 0))
        problems[`variants.${index}.weight`] = "must be a number greater than 0";
    });
    if (!goalValue.trim())
      problems[goalType === "node" ? "goal.nodeId" : goalType === "variable" ? "goal.name" : "goal.event"] =
        "choose the goal";
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return null;
    const goal: ExperimentGoal =
      goalType === "node"
        ? { type: "node", nodeId: goalValue }
        : goalType === "variable"
          ? { type: "variable", name: goalValue }
          : { type: "event", event: goalValue.trim() };
    const variants =
      mode === "versions"
        ? [
            { key: "control", weight: Number(weightOf("control")), flowVersionId: controlVersion },
            { key: "challenger", weight: Number(weightOf("challenger")), flowVersionId: challengerVersion },
          ]
        : keys.map((key) => ({ key, weight: Number(weightOf(key)) }));
    return { name: name.trim(), variants, goal, ...(mode === "split" ? { abSplitNodeId: splitNode } : {}) };
  }

  const versionSelect = (index: number, value: string, set: (value: string) => void, label: string) => {
    const id = `variant-${index}-version`;
    const error = errors[`variants.${index}.flowVersionId`];
    return (
      <Field id={id} label={label} error={error}>
        <SimpleSelect
          id={id}
          value={value}
          onValueChange={set}
          placeholder="Choose a published version…"
          options={published.map((version) => ({
            value: version.id,
            label: `v${version.version}${version.note ? ` — ${version.note}` : ""}`,
          }))}
          {...invalidProps(id, error)}
        />
      </Field>
    );
  };

  return (
    <form
      aria-label="New experiment"
      className="card"
      onSubmit={async (event) => {
        event.preventDefault();
        const experiment = input();
        if (!experiment) return;
        try {
          await create.mutateAsync({ botId, experiment });
          setName("");
          setGoalValue("");
          await queryClient.invalidateQueries({ queryKey: trpc.experiments.list.queryKey({ botId }) });
        } catch {
          // Shown inline from create.error.
        }
      }}
    >
      <h2>New experiment</h2>
      <Field id="experiment-name" label="Name" error={errors.name}>
        <input
          id="experiment-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...invalidProps("experiment-name", errors.name)}
        />
      </Field>
      <fieldset>
        <legend>Compare</legend>
        <label>
          <input
            type="radio"
            name="mode"
            checked={mode === "versions"}
            onChange={() => setMode("versions")}
          />{" "}
          Two published versions
        </label>{" "}
        <label>
          <input
            type="radio"
            name="mode"
            checked={mode === "split"}
            onChange={() => setMode("split")}
            disabled={splits.length === 0}
          />{" "}
          The branches of an ab-split node{splits.length === 0 ? " (the flow has none)" : ""}
        </label>
      </fieldset>
      {mode === "versions" ? (
        <>
          {versionSelect(0, controlVersion, setControlVersion, "Control (variant A)")}
          {versionSelect(1, challengerVersion, setChallengerVersion, "Challenger (variant B)")}
        </>
      ) : (
        <Field id="split-node" label="ab-split node" error={errors.abSplitNodeId}>
          <SimpleSelect
            id="split-node"
            value={splitNode}
            onValueChange={setSplitNode}
            placeholder="Choose a node…"
            options={splits.map((node) => ({ value: node.id, label: node.label ?? node.id }))}
            {...invalidProps("split-node", errors.abSplitNodeId)}
          />
        </Field>
      )}
      {keys.map((key, index) => {
        const id = `weight-${key}`;
        const error = errors[`variants.${index}.weight`] ?? errors[`variants.${index}.key`];
        return (
          <Field key={key} id={id} label={`Weight of ${key}${index === 0 ? " (control)" : ""}`} error={error}>
            <input
              id={id}
              inputMode="decimal"
              value={weightOf(key)}
              onChange={(event) => setWeights({ ...weights, [key]: event.target.value })}
              {...invalidProps(id, error)}
            />
          </Field>
        );
      })}
      <Field id="goal-type" label="Goal">
        <SimpleSelect
          id="goal-type"
          value={goalType}
          onValueChange={(value) => {
            setGoalType(value as ExperimentGoal["type"]);
            setGoalValue("");
          }}
          options={[
            { value: "node", label: "Reaching a node" },
            { value: "variable", label: "Setting a variable" },
            { value: "event", label: "An analytics event" },
          ]}
        />
      </Field>
      {goalType === "node" && (
        <Field id="goal-node" label="Goal node" error={errors["goal.nodeId"]}>
          <Combobox
            id="goal-node"
            value={goalValue || null}
            onChange={setGoalValue}
            placeholder="Choose a node…"
            searchPlaceholder="Search nodes…"
            width="320px"
            options={nodes.map((node) => ({
              value: node.id,
              label: node.label ? `${node.label} (${node.id})` : node.id,
              hint: node.kind,
            }))}
            {...invalidProps("goal-node", errors["goal.nodeId"])}
          />
        </Field>
      )}
      {goalType === "variable" && (
        <Field id="goal-variable" label="Goal variable (converted when set)" error={errors["goal.name"]}>
          <Combobox
            id="goal-variable"
            value={goalValue || null}
            onChange={setGoalValue}
            placeholder="Choose a variable…"
            searchPlaceholder="Search variables…"
            options={(document?.variables ?? []).map((variable) => ({
              value: variable.name,
              label: variable.name,
            }))}
            {...invalidProps("goal-variable", errors["goal.name"])}
          />
        </Field>
      )}
      {goalType === "event" && (
        <Field id="goal-event" label="Goal event" error={errors["goal.event"]}>
          <input
            id="goal-event"
            list="goal-events"
            value={goalValue}
            onChange={(event) => setGoalValue(event.target.value)}
            {...invalidProps("goal-event", errors["goal.event"])}
          />
          <datalist id="goal-events">
            {SUGGESTED_EVENTS.map((event) => (
              <option key={event} value={event} />
            ))}
          </datalist>
        </Field>
      )}
      <FormProblems
        error={create.error}
        shown={Object.keys(issuesOf(create.error)).filter((path) =>
          /^(experiment\.)?(name|abSplitNodeId|goal\.(nodeId|name|event)|variants\.\d+\.(flowVersionId|weight|key))$/.test(
            path,
          ),
        )}
      />
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create experiment"}
      </Button>
    </form>
  );
}
