"use client";

import { useTRPC } from "../../client/trpc";
import { useDraftForm } from "../draft-form";
import { Field, FormProblems, invalidProps } from "../field";
import { FormActions } from "../form-actions";
import { SimpleSelect } from "../ui/simple-select";
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
  const form = useDraftForm({
    initial: { defaultRoute: workspace.defaultRoute ?? "", preferred: workspace.preferredProviders },
    problems: (draft) => tenantRoutingProblems(draft.preferred),
    mutation: trpc.models.saveTenantRouting.mutationOptions(),
    // The default route shows on the routes list and in "try it" too.
    invalidates: trpc.models.pathKey(),
    toInput: (draft) => ({ defaultRoute: draft.defaultRoute || null, preferredProviders: draft.preferred }),
    onSaved: () => onSaved(true),
  });
  const { errors, save } = form;
  const { defaultRoute, preferred } = form.draft;
  const set = (patch: Partial<typeof form.draft>) => {
    form.set(patch);
    if (saved) onSaved(false);
  };
  return (
    <form className="card" aria-label="Workspace routing" onSubmit={form.submit}>
      <h3 className="form-title">Workspace</h3>
      <div className="form-grid">
        <Field
          id="workspace-default-route"
          label="Default route"
          error={errors.defaultRoute}
          hint="for nodes that name no route, in bots without their own default"
        >
          <SimpleSelect
            id="workspace-default-route"
            value={defaultRoute}
            disabled={!canManage}
            onValueChange={(value) => set({ defaultRoute: value })}
            options={[
              { value: "", label: "the route named “default” (built in unless you define one)" },
              ...routes,
            ]}
            {...invalidProps("workspace-default-route", errors.defaultRoute)}
          />
        </Field>
        <div className="field">
          <label htmlFor="workspace-preferred-add">Preferred providers</label>
          <PreferredProviders
            id="workspace-preferred"
            value={preferred}
            onChange={(next) => set({ preferred: next })}
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
        <FormActions label="Save workspace routing" pending={save.isPending}>
          {saved && (
            <span className="muted" role="status">
              Saved.
            </span>
          )}
        </FormActions>
      )}
    </form>
  );
}
