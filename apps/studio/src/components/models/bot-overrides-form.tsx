"use client";
import { saveBotRoutingSchema } from "@parley/contract";
import { Badge, Box, Code, Grid, Heading, Table, Text } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Controller, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { FormActions } from "../form-actions";
import {
  applyServerErrorsWhere,
  ChoiceCards,
  SelectFormField,
  useContractForm,
  withProblems,
} from "../ui/form-controls";
import { toast } from "../ui/toast";
import { OverrideRows } from "./override-rows";
import { PreferredProviders } from "./preferred-providers";
import { botRoutingProblems, previewRoutes } from "./routing-draft";
import type { BotRoutingRow, Routing } from "./types";

/** The contract's bot routing, plus what the browser can check (an override of "default", a name twice). */
const botRoutingForm = withProblems(saveBotRoutingSchema, botRoutingProblems);

/** The bot routing form. */
export type BotRoutingForm = UseFormReturn<
  z.input<typeof saveBotRoutingSchema>,
  unknown,
  z.output<typeof saveBotRoutingSchema>
>;

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
  const form = useContractForm(botRoutingForm, {
    defaultValues: {
      defaultRoute: bot.defaultRoute,
      routeOverrides: bot.routeOverrides,
      preferredProviders: bot.preferredProviders,
    },
  });
  const save = useMutation(
    trpc.models.saveBotRouting.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.routing.queryKey() });
        toast.success("Bot routing saved");
      },
      onError: (error) => applyServerErrorsWhere(form, error, SHOWN),
    }),
  );
  const draft = form.watch();
  const preferred = draft.preferredProviders ?? null;
  const preview = previewRoutes(
    [
      ...new Set([
        "default",
        ...bot.requestedByFlows,
        ...(draft.routeOverrides ?? [])
          .map((o) => o.requested.trim())
          .filter((name) => name && name !== "default"),
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
      noValidate
      onSubmit={form.handleSubmit((values) => save.mutate({ ...values, botId: bot.botId }))}
      // An edit after a save clears its "Saved.".
      onChange={() => save.isSuccess && save.reset()}
    >
      <Grid columns={{ initial: "1", sm: "2" }} gapX="5">
        <SelectFormField
          form={form}
          name="defaultRoute"
          id="bot-default-route"
          label="Default route"
          help="for this bot's nodes that name no route"
          disabled={!canManage}
          empty={null}
          onPicked={() => save.isSuccess && save.reset()}
          options={[
            { value: "", label: `workspace default (${workspace.defaultRoute ?? "default"})` },
            ...workspaceRoutes,
          ]}
        />
        <Box>
          <ChoiceCards
            label="Preferred providers"
            value={preferred === null ? "workspace" : "own"}
            disabled={!canManage}
            columns="1"
            onChange={(mode) =>
              form.setValue(
                "preferredProviders",
                mode === "workspace" ? null : [...workspace.preferredProviders],
                { shouldValidate: true },
              )
            }
            choices={[
              { value: "workspace", label: "As the workspace", hint: workspacePreference },
              {
                value: "own",
                label: "Its own list",
                hint: "replaces the workspace's (empty: no preference)",
              },
            ]}
          />
          {preferred !== null && (
            <Box mt="2">
              <Controller
                control={form.control}
                name="preferredProviders"
                render={({ field, formState }) => (
                  <PreferredProviders
                    id="bot-preferred"
                    value={field.value ?? []}
                    onChange={field.onChange}
                    providers={providers}
                    errorOf={(index) => formState.errors.preferredProviders?.[index]?.message}
                    disabled={!canManage}
                  />
                )}
              />
            </Box>
          )}
        </Box>
      </Grid>
      <Heading as="h4" size="2" mt="4" mb="2">
        Route overrides
      </Heading>
      <OverrideRows
        form={form}
        routes={callableRoutes}
        suggestions={[...new Set([...bot.requestedByFlows, ...callableRoutes])].filter(
          (n) => n !== "default",
        )}
        disabled={!canManage}
      />
      <Heading as="h4" size="2" mt="4" mb="2">
        What this bot's nodes get
      </Heading>
      <Table.Root variant="surface" size="1" data-testid="routing-preview">
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
                <Code>{row.requested}</Code>
                {bot.requestedByFlows.includes(row.requested) && (
                  <Badge color="gray" ml="2">
                    in flows
                  </Badge>
                )}
              </Table.Cell>
              <Table.Cell>
                <Code>{row.route}</Code>
              </Table.Cell>
              <Table.Cell>
                <Text color="gray">{row.reason}</Text>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      <FormProblems
        error={save.error}
        shown={Object.keys(issuesOf(save.error)).filter((path) => SHOWN.test(path))}
      />
      {canManage && (
        <FormActions label="Save bot routing" pending={save.isPending}>
          {save.isSuccess && (
            <Text size="2" color="gray" role="status">
              Saved.
            </Text>
          )}
        </FormActions>
      )}
    </form>
  );
}
