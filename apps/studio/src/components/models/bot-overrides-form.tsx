"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";
import { newOverride, type OverrideDraft, OverrideRows } from "./override-rows";
import { PreferredProviders } from "./preferred-providers";
import { botRoutingProblems, previewRoutes } from "./routing-draft";
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
  const queryClient = useQueryClient();
  const [defaultRoute, setDefaultRoute] = useState(bot.defaultRoute ?? "");
  const [overrides, setOverrides] = useState<OverrideDraft[]>(() =>
    bot.routeOverrides.map((o) => newOverride(o.requested, o.route)),
  );
  const [preferred, setPreferred] = useState<string[] | null>(bot.preferredProviders);
  const [tried, setTried] = useState(false);
  const save = useMutation(
    trpc.models.saveBotRouting.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.models.routing.queryKey() }),
    }),
  );
  const draft = { defaultRoute, overrides, preferredProviders: preferred };
  const local = tried ? botRoutingProblems(draft) : {};
  const errors = { ...issuesOf(save.error), ...local };
  const changed = () => {
    if (save.error || save.isSuccess) save.reset();
  };
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
    <form
      aria-label="Bot routing"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (Object.keys(botRoutingProblems(draft)).length > 0) return;
        save.mutate({
          botId: bot.botId,
          defaultRoute: defaultRoute || null,
          routeOverrides: overrides.map((o) => ({ requested: o.requested.trim(), route: o.route })),
          preferredProviders: preferred,
        });
      }}
    >
      <div className="form-grid">
        <Field
          id="bot-default-route"
          label="Default route"
          error={errors.defaultRoute}
          hint="for this bot's nodes that name no route"
        >
          <select
            id="bot-default-route"
            value={defaultRoute}
            disabled={!canManage}
            onChange={(e) => {
              setDefaultRoute(e.target.value);
              changed();
            }}
            {...invalidProps("bot-default-route", errors.defaultRoute)}
          >
            <option value="">workspace default ({workspace.defaultRoute ?? "default"})</option>
            {workspaceRoutes.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
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
                onChange={() => {
                  setPreferred(null);
                  changed();
                }}
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
                onChange={() => {
                  setPreferred([...workspace.preferredProviders]);
                  changed();
                }}
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
                onChange={(next) => {
                  setPreferred(next);
                  changed();
                }}
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
        onChange={(rows) => {
          setOverrides(rows);
          changed();
        }}
        routes={callableRoutes}
        suggestions={[...new Set([...bot.requestedByFlows, ...callableRoutes])].filter(
          (n) => n !== "default",
        )}
        errors={errors}
        disabled={!canManage}
      />
      <h4 className="subhead">What this bot's nodes get</h4>
      <table className="preview-table" data-testid="routing-preview">
        <thead>
          <tr>
            <th>A node asking for</th>
            <th>uses route</th>
            <th>because</th>
          </tr>
        </thead>
        <tbody>
          {preview.map((row) => (
            <tr key={row.requested}>
              <td>
                <code>{row.requested}</code>
                {bot.requestedByFlows.includes(row.requested) && <span className="badge">in flows</span>}
              </td>
              <td>
                <code>{row.route}</code>
              </td>
              <td className="muted">{row.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormProblems error={save.error} shown={Object.keys(errors).filter((path) => SHOWN.test(path))} />
      {canManage && (
        <div className="form-actions">
          <button className="primary" type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save bot routing"}
          </button>
          {save.isSuccess && (
            <span className="muted" role="status">
              Saved.
            </span>
          )}
        </div>
      )}
    </form>
  );
}
