"use client";

import { Badge, Button, Card, Checkbox, Flex, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "../../../client/session";
import { useTRPC } from "../../../client/trpc";
import { BotTabs } from "../../../components/bot-tabs";
import { FormProblems, issuesOf } from "../../../components/field";
import { FormActions } from "../../../components/form-actions";
import { FormError } from "../../../components/form-error";
import { ManageMenu } from "../../../components/manage/manage-dialogs";
import { useBotManager, useFlowManager } from "../../../components/manage/managers";
import { OfflineModelWarning } from "../../../components/offline-model-warning";
import { Shell } from "../../../components/shell";
import { SelectFormField, useContractForm } from "../../../components/ui/form-controls";
import { FormField, TextFormField } from "../../../components/ui/form-field";
import { toast } from "../../../components/ui/toast";
import {
  documentProblem,
  EMPTY_SOURCE,
  flowNameOf,
  flowSourceOf,
  IMPORT_SOURCE,
  newFlowForm,
} from "./new-flow-form";

/** The bot's New flow form: from an empty canvas, a template, or an exported flow's JSON file. */
function NewFlowForm({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const templates = useQuery(trpc.flows.templates.queryOptions());
  const form = useContractForm(newFlowForm, {
    defaultValues: { name: "", source: EMPTY_SOURCE, file: null },
  });
  const create = useMutation(
    trpc.flows.create.mutationOptions({
      onSuccess: (flow) => {
        toast.success(`Flow “${flow.name}” created.`);
        router.push(`/bots/${botId}/flows/${flow.id}`);
      },
      onError: (error) => {
        const issues = issuesOf(error);
        if (issues.name) form.setError("name", { message: issues.name });
        // An imported document's problems (their paths are inside the document) are the file's.
        const problem = form.getValues("source") === IMPORT_SOURCE ? documentProblem(issues) : undefined;
        if (problem) form.setError("file", { message: problem });
      },
    }),
  );
  const source = form.watch("source");
  const importing = source === IMPORT_SOURCE;
  const shown = Object.keys(issuesOf(create.error)).filter((path) => path === "name" || importing);
  return (
    <Card size="2" asChild>
      <form
        aria-label="New flow"
        noValidate
        onSubmit={form.handleSubmit((flow) =>
          create.mutate({ botId, name: flowNameOf(flow), source: flowSourceOf(flow) }),
        )}
      >
        <Flex justify="between" align="center">
          {/* The page's first section under its h1 (the flows list below is the next h2). */}
          <Heading as="h2" size="3">
            New flow
          </Heading>
          <Link href={`/templates?bot=${botId}`}>Browse templates with previews</Link>
        </Flex>
        <Flex gap="4" wrap="wrap" align="start">
          <TextFormField
            form={form}
            name="name"
            id="new-flow-name"
            label="Flow name"
            // The e2e specs find the field by this attribute (its name is the label's too).
            aria-label="Flow name"
            help={importing ? "Optional: the file's own name by default." : undefined}
            style={{ width: 240 }}
          />
          <SelectFormField
            form={form}
            name="source"
            id="new-flow-source"
            label="Start from"
            style={{ width: 280 }}
            onPicked={() => form.setValue("file", null)}
            options={[
              { value: EMPTY_SOURCE, label: "Empty canvas" },
              ...(templates.data ?? []).map((template) => ({
                value: template.id,
                label: `Template: ${template.name} (${template.nodeCount} nodes)`,
              })),
              { value: IMPORT_SOURCE, label: "Import a JSON file…" },
            ]}
          />
          {importing && (
            <FormField form={form} name="file" id="new-flow-file" label="Flow JSON file">
              {({ id, onChange, onBlur, ref, ...control }) => (
                <input
                  id={id}
                  ref={ref as never}
                  type="file"
                  accept="application/json,.json"
                  aria-invalid={control["aria-invalid"]}
                  aria-describedby={control["aria-describedby"]}
                  onChange={async (event) => {
                    onChange((await event.target.files?.[0]?.text()) ?? null);
                    onBlur();
                  }}
                  style={{ maxWidth: 240 }}
                />
              )}
            </FormField>
          )}
        </Flex>
        <FormProblems error={create.error} shown={shown} />
        <FormActions label="Create flow" pendingLabel="Creating…" pending={create.isPending} />
      </form>
    </Card>
  );
}

function FlowsTable({ botId, status }: { botId: string; status: "live" | "archived" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const flows = useQuery(trpc.flows.list.queryOptions({ botId, status }));
  const canWrite = useCan("flows:write");
  const manager = useFlowManager();
  const archived = status === "archived";
  const makeEntry = useMutation(
    trpc.bots.update.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.bots.get.queryKey({ botId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.bots.summary.pathKey() }),
        ]),
    }),
  );
  if (flows.data?.length === 0)
    return archived ? (
      <Text as="p" size="2" color="gray">
        No archived flows.
      </Text>
    ) : (
      <Card className="empty-state">
        <Heading as="h3" size="3">
          No flows yet
        </Heading>
        <Text as="p" size="2" color="gray">
          A flow is what the bot says and asks. Create one above: an empty canvas, a template, or a JSON file
          exported from another bot.
        </Text>
      </Card>
    );
  return (
    <>
      <FormError error={flows.error ?? makeEntry.error} />
      <table data-testid={`flows-${status}`}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Updated</th>
            {canWrite && (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {flows.data?.map((flow) => {
            const entry = bot.data?.entryFlowId === flow.id;
            return (
              <tr key={flow.id} data-testid={`flow-row-${flow.name}`}>
                <td>
                  {archived ? flow.name : <Link href={`/bots/${botId}/flows/${flow.id}`}>{flow.name}</Link>}
                  {entry && (
                    <Badge ml="2" color="indigo">
                      entry
                    </Badge>
                  )}
                </td>
                <td>
                  {archived ? (
                    <Badge color="gray">archived</Badge>
                  ) : flow.publishedVersionId ? (
                    <Badge color="green" highContrast>
                      published
                    </Badge>
                  ) : (
                    <Badge color="amber" highContrast>
                      draft only
                    </Badge>
                  )}
                </td>
                <td className="muted">{new Date(flow.updatedAt).toLocaleString()}</td>
                {canWrite && (
                  <td style={{ textAlign: "right", whiteSpace: "nowrap" }}>
                    {!archived && !entry && flow.publishedVersionId && (
                      <Button
                        size="1"
                        variant="ghost"
                        mr="2"
                        disabled={makeEntry.isPending}
                        onClick={() => makeEntry.mutate({ botId, changes: { entryFlowId: flow.id } })}
                      >
                        Make entry
                      </Button>
                    )}
                    <ManageMenu
                      name={flow.name}
                      archived={archived}
                      onAction={(action) => manager.start(action, { id: flow.id, name: flow.name })}
                    />
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {manager.dialogs}
    </>
  );
}

function BotDetail() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const router = useRouter();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const canWrite = useCan("flows:write");
  const canManageBot = useCan("bots:write");
  const botManager = useBotManager(() => router.push("/bots"));
  const [showArchived, setShowArchived] = useState(false);
  return (
    <main className="shell-main">
      <p>
        <Link href="/bots">← Bots</Link>
      </p>
      <Flex align="center" gap="2">
        <Heading as="h1" size="6">
          {bot.data?.name ?? "…"}
        </Heading>
        {canManageBot && bot.data && (
          <ManageMenu
            name={bot.data.name}
            archived={false}
            onAction={(action) =>
              bot.data &&
              botManager.start(action, {
                id: bot.data.id,
                name: bot.data.name,
              })
            }
          />
        )}
      </Flex>
      {bot.data?.description && (
        <Text as="p" size="2" color="gray">
          {bot.data.description}
        </Text>
      )}
      <BotTabs botId={botId} active="flows" />
      <OfflineModelWarning botId={botId} when="live" />
      <FormError error={bot.error} />
      {canWrite && <NewFlowForm botId={botId} />}
      <Heading as="h2" size="4" mt="4" mb="2">
        Flows
      </Heading>
      <FlowsTable botId={botId} status="live" />
      <Text as="label" size="2" mt="4" style={{ display: "flex", gap: 8, alignItems: "center" }}>
        <Checkbox checked={showArchived} onCheckedChange={(value) => setShowArchived(value === true)} />
        Show archived
      </Text>
      {showArchived && (
        <section aria-label="Archived flows">
          <Heading as="h3" size="3" mt="2">
            Archived flows
          </Heading>
          <FlowsTable botId={botId} status="archived" />
        </section>
      )}
      {botManager.dialogs}
    </main>
  );
}

/** A bot's home: its status and tabs, its flows (create, manage, entry), and the bot's own actions. */
export default function BotPage() {
  return (
    <Shell>
      <BotDetail />
    </Shell>
  );
}
