"use client";

import { createExperimentInputSchema, type ExperimentGoal } from "@parley/contract";
import { Button, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { Combobox } from "../ui/combobox";
import { ComboboxInput } from "../ui/combobox-input";
import {
  applyServerErrorsWhere,
  ChoiceCards,
  FieldError,
  NumberFormField,
  SelectFormField,
  useContractForm,
  withProblems,
} from "../ui/form-controls";
import { FormField, TextFormField } from "../ui/form-field";
import { SimpleSelect } from "../ui/simple-select";
import { toast } from "../ui/toast";

interface FlowNode {
  id: string;
  kind: string;
  label?: string;
  data?: { variants?: { id: string; label?: string }[] };
}

/** Two published versions, or the branches of an ab-split node. */
type Mode = "versions" | "split";

const SUGGESTED_EVENTS = ["conversation.ended", "handoff.requested", "conversation.started"];
const VERSION_KEYS = ["control", "challenger"] as const;

/** The field of a goal of each type (its path in the form is `goal.<field>`). */
const GOAL_FIELD = { node: "nodeId", variable: "name", event: "event" } as const;

/** The experiment's fields the form shows (the server's problems elsewhere go to the banner). */
const FIELDS = /^(name|abSplitNodeId|goal\.(nodeId|name|event)|variants\.\d+\.(flowVersionId|weight))$/;

/** A goal of `type` with nothing chosen yet. */
function emptyGoal(type: ExperimentGoal["type"]): ExperimentGoal {
  return type === "node"
    ? { type, nodeId: "" }
    : type === "variable"
      ? { type, name: "" }
      : { type, event: "" };
}

/**
 * The form that drafts an experiment: from two published versions of the bot's entry flow, or
 * from the branches of an ab-split node; weights; and a goal picked from the flow's nodes, its
 * variables, or an analytics event. Checked with the contract's schema before it is sent.
 */
export function CreateExperiment({ botId, entryFlowId }: { botId: string; entryFlowId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const flow = useQuery(trpc.flows.get.queryOptions({ flowId: entryFlowId }));
  const versions = useQuery(trpc.flows.versions.queryOptions({ flowId: entryFlowId }));
  const [mode, setMode] = useState<Mode>("versions");
  // What the contract leaves optional, each mode needs: a version per variant, or the node.
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const schema = useMemo(
    () =>
      withProblems(createExperimentInputSchema, (experiment) => {
        const problems: Record<string, string> = {};
        if (modeRef.current === "split") {
          if (!experiment.abSplitNodeId) problems.abSplitNodeId = "choose an ab-split node";
        } else
          (experiment.variants ?? []).forEach((variant, index) => {
            if (!variant.flowVersionId)
              problems[`variants.${index}.flowVersionId`] = `choose the ${variant.key}'s version`;
          });
        return problems;
      }),
    [],
  );
  const form = useContractForm(schema, {
    defaultValues: {
      name: "",
      variants: VERSION_KEYS.map((key) => ({ key, weight: 50 })),
      goal: emptyGoal("node"),
    },
  });
  const create = useMutation(
    trpc.experiments.create.mutationOptions({
      onSuccess: async (_, { experiment }) => {
        toast.success(`Experiment “${experiment.name}” drafted: start it when ready`);
        form.reset({ ...form.getValues(), name: "", goal: emptyGoal(experiment.goal.type) });
        await queryClient.invalidateQueries({ queryKey: trpc.experiments.list.queryKey({ botId }) });
      },
      // The input nests the experiment: its problems come as `experiment.<path>`.
      onError: (error) => applyServerErrorsWhere(form, error, FIELDS, "experiment."),
    }),
  );

  const document = flow.data?.draft as { nodes?: FlowNode[]; variables?: { name: string }[] } | undefined;
  const nodes = document?.nodes ?? [];
  const splits = nodes.filter((node) => node.kind === "ab-split");
  const published = (versions.data ?? []).filter((version) => version.status === "published");
  const [variants, goal, splitNode] = form.watch(["variants", "goal", "abSplitNodeId"]);
  const goalPath = `goal.${GOAL_FIELD[goal.type]}` as const;

  /** Variants of the mode (keeping the weights of keys that stay). */
  const setVariants = (keys: readonly string[]) =>
    form.setValue(
      "variants",
      keys.map((key) => ({ key, weight: variants.find((variant) => variant.key === key)?.weight ?? 50 })),
    );
  const switchMode = (next: Mode) => {
    setMode(next);
    form.setValue("abSplitNodeId", undefined);
    setVariants(next === "versions" ? VERSION_KEYS : []);
    form.clearErrors();
  };

  return (
    <Card size="3" mt="5" asChild>
      <form
        aria-label="New experiment"
        noValidate
        onSubmit={form.handleSubmit((experiment) =>
          create.mutate({
            botId,
            experiment: {
              ...experiment,
              ...(experiment.goal.type === "event"
                ? { goal: { type: "event", event: experiment.goal.event.trim() } }
                : {}),
            },
          }),
        )}
      >
        <Heading as="h2" size="4">
          New experiment
        </Heading>
        <TextFormField form={form} name="name" id="experiment-name" label="Name" />
        <ChoiceCards<Mode>
          label="Compare"
          value={mode}
          onChange={switchMode}
          choices={[
            { value: "versions", label: "Two published versions", hint: "of the bot's entry flow" },
            {
              value: "split",
              label: "The branches of an ab-split node",
              hint: splits.length === 0 ? "the flow has none" : "each branch is a variant",
              disabled: splits.length === 0,
            },
          ]}
        />
        {mode === "versions" ? (
          <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
            {VERSION_KEYS.map((key, index) => (
              <SelectFormField
                key={key}
                form={form}
                name={`variants.${index}.flowVersionId`}
                id={`variant-${index}-version`}
                label={index === 0 ? "Control (variant A)" : "Challenger (variant B)"}
                placeholder="Choose a published version…"
                empty="absent"
                options={published.map((version) => ({
                  value: version.id,
                  label: `v${version.version}${version.note ? ` — ${version.note}` : ""}`,
                }))}
              />
            ))}
          </Grid>
        ) : (
          <SelectFormField
            form={form}
            name="abSplitNodeId"
            id="split-node"
            label="ab-split node"
            placeholder="Choose a node…"
            empty="absent"
            onPicked={(nodeId) =>
              setVariants(
                (splits.find((node) => node.id === nodeId)?.data?.variants ?? []).map(
                  (variant) => variant.id,
                ),
              )
            }
            options={splits.map((node) => ({ value: node.id, label: node.label ?? node.id }))}
          />
        )}
        {(mode === "versions" || splitNode) && (
          <Grid columns={{ initial: "1", sm: "2", md: "3" }} gapX="4">
            {variants.map((variant, index) => (
              <NumberFormField
                key={variant.key}
                form={form}
                name={`variants.${index}.weight`}
                id={`weight-${variant.key}`}
                label={`Weight of ${variant.key}${index === 0 ? " (control)" : ""}`}
              />
            ))}
          </Grid>
        )}
        <FieldError form={form} name="variants" />
        <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
          <Flex direction="column" gap="1" mt="3">
            <Text as="label" htmlFor="goal-type" size="2" weight="medium">
              Goal
            </Text>
            <SimpleSelect
              id="goal-type"
              value={goal.type}
              onValueChange={(type) => form.setValue("goal", emptyGoal(type as ExperimentGoal["type"]))}
              options={[
                { value: "node", label: "Reaching a node" },
                { value: "variable", label: "Setting a variable" },
                { value: "event", label: "An analytics event" },
              ]}
            />
          </Flex>
          <FormField
            key={goal.type}
            form={form}
            name={goalPath}
            id={`goal-${goal.type}`}
            label={
              goal.type === "node"
                ? "Goal node"
                : goal.type === "variable"
                  ? "Goal variable (converted when set)"
                  : "Goal event"
            }
          >
            {({ value, onChange, onBlur, ref, ...control }) =>
              goal.type === "event" ? (
                <ComboboxInput
                  {...control}
                  inputRef={ref as never}
                  value={typeof value === "string" ? value : ""}
                  onChange={onChange}
                  onBlur={onBlur}
                  suggestions={SUGGESTED_EVENTS}
                  listLabel="Events"
                />
              ) : (
                <Combobox
                  id={control.id}
                  aria-invalid={control["aria-invalid"]}
                  aria-describedby={control["aria-describedby"]}
                  value={typeof value === "string" && value ? value : null}
                  onChange={(next) => {
                    onChange(next);
                    onBlur();
                  }}
                  placeholder={goal.type === "node" ? "Choose a node…" : "Choose a variable…"}
                  searchPlaceholder={goal.type === "node" ? "Search nodes…" : "Search variables…"}
                  width="100%"
                  options={
                    goal.type === "node"
                      ? nodes.map((node) => ({
                          value: node.id,
                          label: node.label ? `${node.label} (${node.id})` : node.id,
                          hint: node.kind,
                        }))
                      : (document?.variables ?? []).map((variable) => ({
                          value: variable.name,
                          label: variable.name,
                        }))
                  }
                />
              )
            }
          </FormField>
        </Grid>
        <FormProblems
          error={create.error}
          shown={Object.keys(issuesOf(create.error)).filter((path) =>
            FIELDS.test(path.replace(/^experiment\./, "")),
          )}
        />
        <Flex mt="4">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create experiment"}
          </Button>
        </Flex>
      </form>
    </Card>
  );
}
