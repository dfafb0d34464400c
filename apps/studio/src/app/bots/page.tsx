"use client";

import { createBotInputSchema } from "@parley/contract";
import { Badge, Button, Card, Checkbox, Flex, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LayoutTemplate } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useCan } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { FormError } from "../../components/form-error";
import { ManageMenu } from "../../components/manage/manage-dialogs";
import { useBotManager } from "../../components/manage/managers";
import { Shell } from "../../components/shell";
import { useContractForm } from "../../components/ui/form-controls";
import { applyServerErrors, TextFormField } from "../../components/ui/form-field";
import { toast } from "../../components/ui/toast";

/** The New bot form: the contract's bot name (the rest of a bot is set on its settings page). */
const newBotForm = createBotInputSchema.pick({ name: true });

function NewBotForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useContractForm(newBotForm, { defaultValues: { name: "" } });
  const create = useMutation(
    trpc.bots.create.mutationOptions({
      onSuccess: (bot) => {
        form.reset();
        toast.success(`Bot “${bot.name}” created.`);
        return queryClient.invalidateQueries({ queryKey: trpc.bots.list.pathKey() });
      },
      onError: (error) => applyServerErrors(form, error, ["name"]),
    }),
  );
  return (
    <form aria-label="New bot" noValidate onSubmit={form.handleSubmit((bot) => create.mutate(bot))}>
      <TextFormField
        form={form}
        name="name"
        id="new-bot-name"
        label="New bot name"
        placeholder="e.g. Support assistant"
        style={{ width: 260 }}
      />
      <FormProblems error={create.error} shown={["name"]} />
      <FormActions label="Create bot" pendingLabel="Creating…" pending={create.isPending}>
        <Button asChild variant="soft">
          <Link href="/templates">
            <LayoutTemplate size={16} aria-hidden /> Start from a template
          </Link>
        </Button>
      </FormActions>
    </form>
  );
}

function BotCards({ status }: { status: "live" | "archived" }) {
  const trpc = useTRPC();
  const bots = useQuery(trpc.bots.list.queryOptions({ status }));
  const canWrite = useCan("bots:write");
  const manager = useBotManager();
  const archived = status === "archived";
  return (
    <>
      <FormError error={bots.error} />
      <div className="grid" style={{ marginTop: 12 }} data-testid={`bots-${status}`}>
        {bots.data?.map((bot) => (
          <Card key={bot.id} data-testid={`bot-card-${bot.name}`}>
            <Flex justify="between" align="start" gap="2">
              <div style={{ minWidth: 0 }}>
                {archived ? (
                  <Text weight="bold">{bot.name}</Text>
                ) : (
                  <Link href={`/bots/${bot.id}`}>
                    <Text weight="bold">{bot.name}</Text>
                  </Link>
                )}
                <Text as="div" size="2" color="gray">
                  {bot.description || "No description"}
                </Text>
                {archived && (
                  <Badge color="gray" mt="1">
                    archived {bot.archivedAt ? new Date(bot.archivedAt).toLocaleDateString() : ""}
                  </Badge>
                )}
              </div>
              {canWrite && (
                <ManageMenu
                  name={bot.name}
                  archived={archived}
                  onAction={(action) => manager.start(action, { id: bot.id, name: bot.name })}
                />
              )}
            </Flex>
          </Card>
        ))}
      </div>
      {bots.data?.length === 0 &&
        (archived ? (
          <Text as="p" color="gray" size="2">
            No archived bots.
          </Text>
        ) : (
          <Card className="empty-state">
            <Heading as="h2" size="3">
              No bots yet
            </Heading>
            <Text as="p" size="2" color="gray">
              Name a bot above and create it, or start from a template: a working flow you can change.
            </Text>
          </Card>
        ))}
      {manager.dialogs}
    </>
  );
}

function BotsList() {
  const canWrite = useCan("bots:write");
  const [showArchived, setShowArchived] = useState(false);
  return (
    <main className="shell-main">
      <Heading as="h1" size="6" mb="3">
        Bots
      </Heading>
      {canWrite && <NewBotForm />}
      <BotCards status="live" />
      <Text as="label" size="2" mt="4" style={{ display: "flex", gap: 8, alignItems: "center" }}>
        <Checkbox checked={showArchived} onCheckedChange={(value) => setShowArchived(value === true)} />
        Show archived
      </Text>
      {showArchived && (
        <section aria-label="Archived bots">
          <Heading as="h2" size="4" mt="3">
            Archived
          </Heading>
          <BotCards status="archived" />
        </section>
      )}
    </main>
  );
}

/** The workspace's bots: create, manage (rename, duplicate, archive, restore, delete), templates. */
export default function BotsPage() {
  return (
    <Shell>
      <BotsList />
    </Shell>
  );
}
