"use client";
import { Button, Table } from "@radix-ui/themes";

import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { useDraftForm } from "../draft-form";
import { Field, FormProblems, InputField, invalidProps } from "../field";
import { FormActions } from "../form-actions";
import { FormError } from "../form-error";
import { SimpleSelect } from "../ui/simple-select";
import { EditDeleteButtons, useDeleteRow } from "./row-actions";
import type { BudgetRow } from "./types";

/** Dollars with enough digits for small model costs. */
export function usd(value: number): string {
  if (value === 0) return "$0";
  return value < 0.01 ? `$${value.toFixed(6)}` : `$${value.toFixed(2)}`;
}

interface BudgetDraft {
  scope: string;
  limit: string;
  action: "block" | "downgrade";
  downgradeRoute: string;
  warnAt: string;
}

const WORKSPACE = "__workspace";

/** Problems the browser can see before sending, by the server's field paths. */
function budgetProblems(draft: BudgetDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  const limit = Number(draft.limit);
  if (draft.limit.trim() === "" || !Number.isFinite(limit) || limit < 0)
    problems.monthlyLimitUsd = "a monthly limit in USD, 0 or more";
  if (!draft.scope) problems.botId = "every bot already has a budget";
  if (draft.action === "downgrade" && !draft.downgradeRoute)
    problems.downgradeRoute = "choose the route to downgrade to";
  const warn = Number(draft.warnAt);
  if (!Number.isInteger(warn) || warn < 1 || warn > 100)
    problems.warnAtPercent = "a whole percentage, 1 to 100";
  return problems;
}

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
  const { draft, errors, save, set, submit } = useDraftForm({
    initial: (): BudgetDraft => ({
      scope: budget
        ? (budget.botId ?? WORKSPACE)
        : taken.has(WORKSPACE)
          ? (bots.find((b) => !taken.has(b.id))?.id ?? "")
          : WORKSPACE,
      limit: budget ? String(budget.monthlyLimitUsd) : "",
      action: budget?.action ?? "block",
      downgradeRoute: budget?.downgradeRoute ?? routes[0] ?? "",
      warnAt: String(budget?.warnAtPercent ?? 80),
    }),
    problems: budgetProblems,
    mutation: trpc.models.saveBudget.mutationOptions(),
    invalidates: trpc.models.budgets.queryKey(),
    toInput: (draft) => ({
      ...(draft.scope !== WORKSPACE ? { botId: draft.scope } : {}),
      monthlyLimitUsd: Number(draft.limit),
      action: draft.action,
      ...(draft.action === "downgrade" ? { downgradeRoute: draft.downgradeRoute } : {}),
      warnAtPercent: Number(draft.warnAt),
    }),
    onSaved: onDone,
  });
  return (
    <form className="card" aria-label="Budget" onSubmit={submit}>
      <h3 className="form-title">{budget ? "Edit budget" : "New budget"}</h3>
      <div className="form-grid">
        <Field id="budget-scope" label="Applies to" error={errors.botId}>
          <SimpleSelect
            id="budget-scope"
            value={draft.scope}
            disabled={budget !== undefined}
            onValueChange={(value) => set({ scope: value })}
            options={[
              ...(!taken.has(WORKSPACE) || budget?.botId === undefined
                ? [{ value: WORKSPACE, label: "The whole workspace" }]
                : []),
              ...bots
                .filter((bot) => !taken.has(bot.id) || bot.id === budget?.botId)
                .map((bot) => ({ value: bot.id, label: `Bot: ${bot.name}` })),
            ]}
            {...invalidProps("budget-scope", errors.botId)}
          />
        </Field>
        <InputField
          id="budget-limit"
          label="Monthly limit (USD)"
          error={errors.monthlyLimitUsd}
          inputMode="decimal"
          value={draft.limit}
          placeholder="50"
          onChange={(e) => set({ limit: e.target.value })}
        />
        <InputField
          id="budget-warn"
          label="Warn at (% spent)"
          error={errors.warnAtPercent}
          hint="an analytics event, once a month"
          inputMode="numeric"
          value={draft.warnAt}
          onChange={(e) => set({ warnAt: e.target.value })}
        />
      </div>
      <fieldset style={{ border: 0, padding: 0, margin: "10px 0 0" }}>
        <legend style={{ fontWeight: 500 }}>When the limit is reached</legend>
        <div className="choice-group">
          <label className="choice">
            <input
              type="radio"
              name="budget-action"
              checked={draft.action === "block"}
              onChange={() => set({ action: "block" })}
            />
            <div>
              <b>Block</b>
              <span>model calls fail until next month (flows take their error branch)</span>
            </div>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="budget-action"
              checked={draft.action === "downgrade"}
              onChange={() => set({ action: "downgrade" })}
            />
            <div>
              <b>Downgrade</b>
              <span>switch every call to a cheaper route</span>
            </div>
          </label>
        </div>
      </fieldset>
      {draft.action === "downgrade" && (
        <Field id="budget-route" label="Route to downgrade to" error={errors.downgradeRoute}>
          <SimpleSelect
            id="budget-route"
            value={draft.downgradeRoute}
            onValueChange={(value) => set({ downgradeRoute: value })}
            placeholder="no routes yet: create one above"
            options={routes}
            {...invalidProps("budget-route", errors.downgradeRoute)}
          />
        </Field>
      )}
      <FormProblems
        error={save.error}
        shown={["botId", "monthlyLimitUsd", "warnAtPercent", "downgradeRoute", "action"]}
      />
      <FormActions label="Save budget" pending={save.isPending} onCancel={onDone} />
    </form>
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
    <section className="section" id="budgets" aria-labelledby="budgets-title">
      <div className="section-head">
        <h2 id="budgets-title">Budgets</h2>
        <span className="spacer" />
        {canManage && editing === null && !allTaken && (
          <Button variant="soft" color="gray" type="button" onClick={() => setEditing("new")}>
            <Plus size={14} aria-hidden /> Add budget
          </Button>
        )}
      </div>
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
        <div className="empty">No budgets: model spend is not capped.</div>
      ) : (
        <Table.Root variant="surface">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Applies to</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell className="num">Limit / month</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Spent this month</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>When reached</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell className="num">Warn at</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell />
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
                    {usd(budget.spentUsd)} <span className="muted">({Math.round(share * 100)}%)</span>
                    <div className={`meter ${level}`} aria-hidden>
                      <span style={{ width: `${Math.min(100, share * 100)}%` }} />
                    </div>
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
    </section>
  );
}
