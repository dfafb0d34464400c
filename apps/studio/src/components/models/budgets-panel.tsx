"use client";

import { saveBudgetSchema } from "@parley/contract";
import { Button, Card, Grid, Heading, Progress, Table, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { FormActions } from "../form-actions";
import { FormError } from "../form-error";
import {
  applyServerErrorsWhere,
  type Choice,
  ChoiceCards,
  NumberFormField,
  SelectFormField,
  useContractForm,
} from "../ui/form-controls";
import { FormField } from "../ui/form-field";
import { Section } from "../ui/section";
import { SimpleSelect } from "../ui/simple-select";
import { toast } from "../ui/toast";
import { EditDeleteButtons, useDeleteRow } from "./row-actions";
import type { BudgetRow } from "./types";

/** Dollars with enough digits for small model costs. */
export function usd(value: number): string {
  if (value === 0) return "$0";
  return value < 0.01 ? `$${value.toFixed(6)}` : `$${value.toFixed(2)}`;
}

const WORKSPACE = "__workspace";

/** The budget form: the contract's save schema, plus the route a downgrading budget needs. */
const budgetForm = saveBudgetSchema.superRefine((budget, ctx) => {
  if (budget.action === "downgrade" && !budget.downgradeRoute)
    ctx.addIssue({ code: "custom", path: ["downgradeRoute"], message: "choose the route to downgrade to" });
});

const BUDGET_FIELDS = /^(botId|monthlyLimitUsd|warnAtPercent|downgradeRoute|action)$/;

const ACTIONS: Choice<"block" | "downgrade">[] = [
  {
    value: "block",
    label: "Block",
    hint: "model calls fail until next month (flows take their error branch)",
  },
  { value: "downgrade", label: "Downgrade", hint: "switch every call to a cheaper route" },
];

function BudgetForm({
  budget,
  bots,
  routes,
  taken,
  onDone,
}: {
  budget: BudgetRow | undefined;
  bots: { id: string; name: string }[];
  routes: string[];
  taken: Set<string>;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A new budget is for the workspace, or else the first bot without one.
  const botId = budget
    ? budget.botId
    : taken.has(WORKSPACE)
      ? bots.find((bot) => !taken.has(bot.id))?.id
      : undefined;
  const form = useContractForm(budgetForm, {
    defaultValues: {
      ...(botId ? { botId } : {}),
      ...(budget ? { monthlyLimitUsd: budget.monthlyLimitUsd } : {}),
      action: budget?.action ?? "block",
      ...(budget?.downgradeRoute || routes[0] ? { downgradeRoute: budget?.downgradeRoute ?? routes[0] } : {}),
      warnAtPercent: budget?.warnAtPercent ?? 80,
    },
  });
  const save = useMutation(
    trpc.models.saveBudget.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.budgets.queryKey() });
        toast.success("Budget saved");
        onDone();
      },
      onError: (error) => applyServerErrorsWhere(form, error, BUDGET_FIELDS),
    }),
  );
  const action = form.watch("action");
  const scopes = [
    ...(!taken.has(WORKSPACE) || budget?.botId === undefined
      ? [{ value: WORKSPACE, label: "The whole workspace" }]
      : []),
    ...bots
      .filter((bot) => !taken.has(bot.id) || bot.id === budget?.botId)
      .map((bot) => ({ value: bot.id, label: `Bot: ${bot.name}` })),
  ];
  return (
    <Card size="2" mb="3" asChild>
      <form
        aria-label="Budget"
        noValidate
        onSubmit={form.handleSubmit((values) =>
          save.mutate({
            ...values,
            // Only a downgrading budget names a route.
            downgradeRoute: values.action === "downgrade" ? values.downgradeRoute : undefined,
          }),
        )}
      >
        <Heading as="h3" size="3">
          {budget ? "Edit budget" : "New budget"}
        </Heading>
        <Grid columns={{ initial: "1", sm: "3" }} gapX="4">
          <FormField form={form} name="botId" id="budget-scope" label="Applies to">
            {({ value, onChange, onBlur, id, ...control }) => (
              <SimpleSelect
                id={id}
                aria-invalid={control["aria-invalid"]}
                aria-describedby={control["aria-describedby"]}
                value={typeof value === "string" ? value : WORKSPACE}
                disabled={budget !== undefined}
                onValueChange={(next) => {
                  onChange(next === WORKSPACE ? undefined : next);
                  onBlur();
                }}
                options={scopes}
              />
            )}
          </FormField>
          <NumberFormField
            form={form}
            name="monthlyLimitUsd"
            id="budget-limit"
            label="Monthly limit (USD)"
            placeholder="50"
          />
          <NumberFormField
            form={form}
            name="warnAtPercent"
            id="budget-warn"
            label="Warn at (% spent)"
            help="an analytics event, once a month"
            inputMode="numeric"
          />
        </Grid>
        <ChoiceCards
          label="When the limit is reached"
          value={action ?? "block"}
          onChange={(next) => form.setValue("action", next)}
          choices={ACTIONS}
        />
        {action === "downgrade" && (
          <SelectFormField
            form={form}
            name="downgradeRoute"
            id="budget-route"
            label="Route to downgrade to"
            placeholder="no routes yet: create one above"
            options={routes}
            empty="absent"
          />
        )}
        <FormProblems
          error={save.error}
          shown={Object.keys(issuesOf(save.error)).filter((path) => BUDGET_FIELDS.test(path))}
        />
        <FormActions label="Save budget" pending={save.isPending} onCancel={onDone} />
      </form>
    </Card>
  );
}

/** Monthly spend caps of the workspace and of single bots, with this month's spend. */
export function BudgetsPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const budgets = useQuery(trpc.models.budgets.queryOptions());
  const bots = useQuery(trpc.bots.list.queryOptions());
  const routes = useQuery(trpc.models.routes.queryOptions());
  const [editing, setEditing] = useState<BudgetRow | "new" | null>(null);
  const remove = useDeleteRow(trpc.models.deleteBudget.mutationOptions(), trpc.models.budgets.queryKey());
  const botName = (id: string) => bots.data?.find((bot) => bot.id === id)?.name ?? "a deleted bot";
  const taken = new Set((budgets.data ?? []).map((budget) => budget.botId ?? WORKSPACE));
  const allTaken =
    bots.data !== undefined && taken.has(WORKSPACE) && bots.data.every((bot) => taken.has(bot.id));
  return (
    <Section
      id="budgets"
      title="Budgets"
      actions={
        canManage &&
        editing === null &&
        !allTaken && (
          <Button variant="soft" color="gray" type="button" onClick={() => setEditing("new")}>
            <Plus size={14} aria-hidden /> Add budget
          </Button>
        )
      }
    >
      {editing !== null && (
        <BudgetForm
          key={editing === "new" ? "new" : editing.id}
          budget={editing === "new" ? undefined : editing}
          bots={bots.data ?? []}
          routes={(routes.data ?? []).map((route) => route.name)}
          taken={taken}
          onDone={() => setEditing(null)}
        />
      )}
      <FormError error={budgets.error ?? remove.error} />
      {budgets.data && budgets.data.length === 0 ? (
        <Card variant="surface">
          <Text as="p" size="2" color="gray" align="center">
            No budgets: model spend is not capped.
          </Text>
        </Card>
      ) : (
        <Table.Root variant="surface">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Applies to</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell className="num">Limit / month</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Spent this month</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>When reached</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell className="num">Warn at</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>
                <span className="sr-only">Actions</span>
              </Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {budgets.data?.map((budget) => {
              const share = budget.monthlyLimitUsd > 0 ? budget.spentUsd / budget.monthlyLimitUsd : 1;
              const level = share >= 1 ? "over" : share * 100 >= budget.warnAtPercent ? "warn" : "";
              return (
                <Table.Row key={budget.id}>
                  <Table.Cell>
                    {budget.botId ? `Bot: ${botName(budget.botId)}` : <b>The whole workspace</b>}
                  </Table.Cell>
                  <Table.Cell className="num">{usd(budget.monthlyLimitUsd)}</Table.Cell>
                  <Table.Cell>
                    {usd(budget.spentUsd)} <Text color="gray">({Math.round(share * 100)}%)</Text>
                    <Progress
                      mt="1"
                      size="1"
                      aria-hidden
                      value={Math.min(100, share * 100)}
                      color={level === "over" ? "red" : level === "warn" ? "amber" : undefined}
                    />
                  </Table.Cell>
                  <Table.Cell>
                    {budget.action === "block" ? (
                      "block calls"
                    ) : (
                      <>
                        downgrade to <code>{budget.downgradeRoute ?? "?"}</code>
                      </>
                    )}
                  </Table.Cell>
                  <Table.Cell className="num">{budget.warnAtPercent}%</Table.Cell>
                  <Table.Cell className="actions">
                    {canManage && (
                      <EditDeleteButtons
                        onEdit={() => setEditing(budget)}
                        onDelete={() => remove.mutate({ budgetId: budget.id })}
                        confirm="Delete this budget?"
                      />
                    )}
                  </Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table.Root>
      )}
    </Section>
  );
}
