"use client";

import { Badge, Button, Card, Checkbox, Flex, Heading, Text, TextField } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "../../../client/session";
import { useTRPC } from "../../../client/trpc";
import { BotTabs } from "../../../components/bot-tabs";
import { FormProblems, invalidProps, issuesOf } from "../../../components/field";
import { FormError } from "../../../components/form-error";
import { ManageMenu } from "../../../components/manage/manage-dialogs";
import { useBotManager, useFlowManager } from "../../../components/manage/managers";
import { OfflineModelWarning } from "../../../components/offline-model-warning";
import { Shell } from "../../../components/shell";
import { SimpleSelect } from "../../../components/ui/simple-select";

function NewFlowForm({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const templates = useQuery(trpc.flows.templates.queryOptions());
  const [name, setName] = useState("");
  const [source, setSource] = useState("empty");
  const [importText, setImportText] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const create = useMutation(
    trpc.flows.create.mutationOptions({
      onSuccess: (flow) => router.push(`/bots/${botId}/flows/${flow.id}`),
    }),
  );
  const serverErrors = issuesOf(create.error);
  const nameError = serverErrors.name;
  // An imported document's problems (its paths are inside the document) belong to the file field.
  const fileError =
    parseError ??
    (source === "import" && create.error
      ? Object.entries(serverErrors)
          .filter(([path]) => path !== "name")
          .map(([path, message]) => `${path}: ${message}`)
          .join("; ") || undefined
      : undefined);
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        setParseError(null);
        if (source === "import") {
          try {
            const document = JSON.parse(importText ?? "") as Record<string, unknown>;
            create.mutate({
              botId,
              name: name || String(document.name ?? "Imported flow"),
              source: { type: "import", document },
            });
          } catch {
            setParseError("The file is not valid JSON.");
          }
        } else if (source === "empty") create.mutate({ botId, name, source: { type: "empty" } });
        else create.mutate({ botId, name, source: { type: "template", templateId: source } });
      }}
    >
      <Flex justify="between" align="center">
        <h3>New flow</h3>
        <Link href={`/templates?bot=${botId}`}>Browse templates with previews</Link>
      </Flex>
      <Flex gap="2" wrap="wrap" align="center" mt="2">
        <TextField.Root
          id="new-flow-name"
          aria-label="Flow name"
          placeholder="Flow name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required={source !== "import"}
          style={{ width: 240 }}
          {...invalidProps("new-flow-name", nameError)}
        />
        <SimpleSelect
          aria-label="Start from"
          value={source}
          onValueChange={setSource}
          style={{ width: 280 }}
          options={[
            { value: "empty", label: "Empty canvas" },
            ...(templates.data ?? []).map((template) => ({
              value: template.id,
              label: `Template: ${template.name} (${template.nodeCount} nodes)`,
            })),
            { value: "import", label: "Import a JSON file…" },
          ]}
        />
        {source === "import" && (
          <input
            id="new-flow-file"
            type="file"
            accept="application/json,.json"
            aria-label="Flow JSON file"
            {...invalidProps("new-flow-file", fileError)}
            onChange={async (e) => setImportText((await e.target.files?.[0]?.text()) ?? null)}
            style={{ maxWidth: 240 }}
          />
        )}
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create flow"}
        </Button>
      </Flex>
      {nameError && (
        <div className="field-error" id="new-flow-name-error" role="alert">
          Name: {nameError}
        </div>
      )}
      {fileError && (
        <div className="field-error" id="new-flow-file-error" role="alert">
          {parseError ? fileError : `The file is not a valid flow: ${fileError}`}
        </div>
      )}
      {!fileError && <FormProblems error={create.error} shown={["name"]} />}
    </form>
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
