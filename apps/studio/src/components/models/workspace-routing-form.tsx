"use client";

import { saveTenantRoutingSchema } from "@parley/contract";
import { Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Controller } from "react-hook-form";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { FormActions } from "../form-actions";
import { applyServerErrorsWhere, SelectFormField, useContractForm, withProblems } from "../ui/form-controls";
import { toast } from "../ui/toast";
import { PreferredProviders } from "./preferred-providers";
import { tenantRoutingProblems } from "./routing-draft";
import type { Routing } from "./types";

/** The contract's workspace routing, plus what the browser can check: a provider listed twice. */
const workspaceRoutingForm = withProblems(saveTenantRoutingSchema, (routing) =>
  tenantRoutingProblems(routing.preferredProviders),
);
const FIELDS = /^(defaultRoute|preferredProviders\.\d+)$/;

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
  const form = useContractForm(workspaceRoutingForm, {
    defaultValues: { defaultRoute: workspace.defaultRoute, preferredProviders: workspace.preferredProviders },
  });
  const save = useMutation(
    trpc.models.saveTenantRouting.mutationOptions({
      onSuccess: async () => {
        // The default route shows on the routes list and in "try it" too.
        await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
        toast.success("Workspace routing saved");
        onSaved(true);
      },
      onError: (error) => applyServerErrorsWhere(form, error, FIELDS),
    }),
  );
  const edited = () => {
    if (saved) onSaved(false);
  };
  return (
    <Card size="2" mb="3" asChild>
      <form
        aria-label="Workspace routing"
        noValidate
        onSubmit={form.handleSubmit((values) => save.mutate(values))}
        onChange={edited}
      >
        <Heading as="h3" size="3">
          Workspace
        </Heading>
        <Grid columns={{ initial: "1", sm: "2" }} gapX="5">
          <SelectFormField
            form={form}
            name="defaultRoute"
            id="workspace-default-route"
            label="Default route"
            help="for nodes that name no route, in bots without their own default"
            disabled={!canManage}
            empty={null}
            onPicked={edited}
            options={[
              { value: "", label: "the route named “default” (built in unless you define one)" },
              ...routes,
            ]}
          />
          <Flex direction="column" gap="1" mt="3">
            <Text as="label" htmlFor="workspace-preferred-add" size="2" weight="medium">
              Preferred providers
            </Text>
            <Controller
              control={form.control}
              name="preferredProviders"
              render={({ field, formState }) => (
                <PreferredProviders
                  id="workspace-preferred"
                  value={field.value ?? []}
                  onChange={(next) => {
                    field.onChange(next);
                    edited();
                  }}
                  providers={providers}
                  errorOf={(index) => formState.errors.preferredProviders?.[index]?.message}
                  disabled={!canManage}
                />
              )}
            />
          </Flex>
        </Grid>
        <FormProblems
          error={save.error}
          shown={Object.keys(issuesOf(save.error)).filter((path) => FIELDS.test(path))}
        />
        {canManage && (
          <FormActions label="Save workspace routing" pending={save.isPending}>
            {saved && (
              <Text size="2" color="gray" role="status">
                Saved.
              </Text>
            )}
          </FormActions>
        )}
      </form>
    </Card>
  );
}
