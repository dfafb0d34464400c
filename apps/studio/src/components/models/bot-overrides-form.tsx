"use client";
import { Badge, Table } from "@radix-ui/themes";

import { useTRPC } from "../../client/trpc";
import { useDraftForm } from "../draft-form";
import { Field, FormProblems, invalidProps } from "../field";
import { FormActions } from "../form-actions";
import { SimpleSelect } from "../ui/simple-select";
import { newOverride, type OverrideDraft, OverrideRows } from "./override-rows";
import { PreferredProviders } from "./preferred-providers";
import { type BotRoutingDraft, botRoutingProblems, previewRoutes } from "./routing-draft";
import type { BotRoutingRow, Routing } from "./types";

/** Paths of the form's fields, for the banner to leave to them. */
const SHOWN = /^(defaultRoute|routeOverrides\.\d+\.(requested|route)|preferredProviders\.\d+)$/;

/**
 * One bot's routing: its default route, route overrides (a node asking for one name uses another
 * route) and preferred providers (its own ordered list, or the workspace's), with what its nodes
 * would get under the edited choices.
 */
export function BotOverridesForm({
  bot,
  workspace,
  workspaceRoutes,
  callableRoutes,
  providers,
  canManage,
}: {
  bot: BotRoutingRow;
  workspace: Routing["workspace"];
  workspaceRoutes: string[];
  /** Every route a call can reach by name (the workspace's and the built-in `default`). */
  callableRoutes: string[];
  providers: string[];
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const { draft, errors, save, set, submit } = useDraftForm({
    initial: (): BotRoutingDraft & { overrides: OverrideDraft[] } => ({
      defaultRoute: bot.defaultRoute ?? "",
      overrides: bot.routeOverrides.map((o) => newOverride(o.requested, o.route)),
      preferredProviders: bot.preferredProviders,
    }),
    problems: botRoutingProblems,
    mutation: trpc.models.saveBotRouting.mutationOptions(),
    invalidates: trpc.models.routing.queryKey(),
    toInput: (draft) => ({
      botId: bot.botId,
      defaultRoute: draft.defaultRoute || null,
      routeOverrides: draft.overrides.map((o) => ({ requested: o.requested.trim(), route: o.route })),
      preferredProviders: draft.preferredProviders,
    }),
  });
  const { defaultRoute, overrides, preferredProviders: preferred } = draft;
  const preview = previewRoutes(
    [
      ...new Set([
        "default",
        ...bot.requestedByFlows,
        ...overrides.map((o) => o.requested.trim()).filter((name) => name && name !== "default"),
      ]),
    ],
    draft,
    workspace.defaultRoute,
    new Set(callableRoutes),
  );
  const workspacePreference =
    workspace.preferredProviders.length > 0 ? workspace.preferredProviders.join(", ") : "none";
  return (
    <form aria-label="Bot routing" onSubmit={submit}>
      <div className="form-grid">
        <Field
          id="bot-default-route"
          label="Default route"
          error={errors.defaultRoute}
          hint="for this bot's nodes that name no route"
        >
          <SimpleSelect
            id="bot-default-route"
            value={defaultRoute}
            disabled={!canManage}
            onValueChange={(value) => set({ defaultRoute: value })}
            options={[
              { value: "", label: `workspace default (${workspace.defaultRoute ?? "default"})` },
              ...workspaceRoutes,
            ]}
            {...invalidProps("bot-default-route", errors.defaultRoute)}
          />
        </Field>
        <fieldset className="field plain-fieldset">
          <legend>Preferred providers</legend>
          <div className="choice-group">
            <label className="choice">
              <input
                type="radio"
                name="bot-preferred-mode"
                checked={preferred === null}
                disabled={!canManage}
                onChange={() => set({ preferredProviders: null })}
              />
              <div>
                <b>As the workspace</b>
                <span>{workspacePreference}</span>
              </div>
            </label>
            <label className="choice">
              <input
                type="radio"
                name="bot-preferred-mode"
                checked={preferred !== null}
                disabled={!canManage}
                onChange={() => set({ preferredProviders: [...workspace.preferredProviders] })}
              />
              <div>
                <b>Its own list</b>
                <span>replaces the workspace's (empty: no preference)</span>
              </div>
            </label>
          </div>
          {preferred !== null && (
            <div style={{ marginTop: 8 }}>
              <PreferredProviders
                id="bot-preferred"
                value={preferred}
                onChange={(next) => set({ preferredProviders: next })}
                providers={providers}
                errors={errors}
                disabled={!canManage}
              />
            </div>
          )}
        </fieldset>
      </div>
      <h4 className="subhead">Route overrides</h4>
      <OverrideRows
        rows={overrides}
        onChange={(rows) => set({ overrides: rows })}
        routes={callableRoutes}
        suggestions={[...new Set([...bot.requestedByFlows, ...callableRoutes])].filter(
          (n) => n !== "default",
        )}
        errors={errors}
        disabled={!canManage}
      />
      <h4 className="subhead">What this bot's nodes get</h4>
      <Table.Root variant="surface" className="preview-table" data-testid="routing-preview">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>A node asking for</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>uses route</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>because</Table.ColumnHeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {preview.map((row) => (
            <Table.Row key={row.requested}>
              <Table.Cell>
                <code>{row.requested}</code>
                {bot.requestedByFlows.includes(row.requested) && <Badge color="gray">in flows</Badge>}
              </Table.Cell>
              <Table.Cell>
                <code>{row.route}</code>
              </Table.Cell>
              <Table.Cell className="muted">{row.reason}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      <FormProblems error={save.error} shown={Object.keys(errors).filter((path) => SHOWN.test(path))} />
      {canManage && (
        <FormActions label="Save bot routing" pending={save.isPending}>
          {save.isSuccess && (
            <span className="muted" role="status">
              Saved.
            </span>
          )}
        </FormActions>
      )}
    </form>
  );
}
