"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";
import { PreferredProviders } from "./preferred-providers";
import { tenantRoutingProblems } from "./routing-draft";
import type { Routing } from "./types";

/**
 * The workspace's default route (used when neither a node nor its bot names one) and its preferred
 * providers, in order. Bots may replace both (see the bot overrides form). Mount it keyed by the
 * saved values, so a default route set in the route editor shows here (and is not saved over).
 */
export function WorkspaceRoutingForm({
  workspace,
  routes,
  providers,
  canManage,
  saved,
  onSaved,
}: {
  workspace: Routing["workspace"];
  /** The workspace's own routes (a default route is one of them). */
  routes: string[];
  providers: string[];
  canManage: boolean;
  /** Show "Saved." (the form was just saved and remounted with the saved values). */
  saved: boolean;
  /** Told after a save (true) and on the first edit after it (false). */
  onSaved: (saved: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [defaultRoute, setDefaultRoute] = useState(workspace.defaultRoute ?? "");
  const [preferred, setPreferred] = useState(workspace.preferredProviders);
  const [tried, setTried] = useState(false);
  const save = useMutation(
    trpc.models.saveTenantRouting.mutationOptions({
      // The default route shows on the routes list and in "try it" too.
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
        onSaved(true);
      },
    }),
  );
  const local = tried ? tenantRoutingProblems(preferred) : {};
  const errors = { ...issuesOf(save.error), ...local };
  const changed = () => {
    if (save.error) save.reset();
    if (saved) onSaved(false);
  };
  return (
    <form
      className="card"
      aria-label="Workspace routing"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (Object.keys(tenantRoutingProblems(preferred)).length > 0) return;
        save.mutate({ defaultRoute: defaultRoute || null, preferredProviders: preferred });
      }}
    >
      <h3 className="form-title">Workspace</h3>
      <div className="form-grid">
        <Field
          id="workspace-default-route"
          label="Default route"
          error={errors.defaultRoute}
          hint="for nodes that name no route, in bots without their own default"
        >
          <select
            id="workspace-default-route"
            value={defaultRoute}
            disabled={!canManage}
            onChange={(e) => {
              setDefaultRoute(e.target.value);
              changed();
            }}
            {...invalidProps("workspace-default-route", errors.defaultRoute)}
          >
            <option value="">the route named “default” (built in unless you define one)</option>
            {routes.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <div className="field">
          <label htmlFor="workspace-preferred-add">Preferred providers</label>
          <PreferredProviders
            id="workspace-preferred"
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
      </div>
      <FormProblems
        error={save.error}
        shown={["defaultRoute", ...preferred.map((_, index) => `preferredProviders.${index}`)]}
      />
      {canManage && (
        <div className="form-actions">
          <button className="primary" type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save workspace routing"}
          </button>
          {saved && (
            <span className="muted" role="status">
              Saved.
            </span>
          )}
        </div>
      )}
    </form>
  );
}
