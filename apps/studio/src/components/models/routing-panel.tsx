"use client";

import { Card, Flex, Heading, Text } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { Section } from "../ui/section";
import { SimpleSelect } from "../ui/simple-select";
import { BotOverridesForm } from "./bot-overrides-form";
import { WorkspaceRoutingForm } from "./workspace-routing-form";

/** Whether a bot does anything differently from the workspace. */
function customised(bot: {
  defaultRoute: string | null;
  routeOverrides: unknown[];
  preferredProviders: string[] | null;
}) {
  return bot.defaultRoute !== null || bot.routeOverrides.length > 0 || bot.preferredProviders !== null;
}

/**
 * Which route a call takes: the workspace's default route and preferred providers, and per bot a
 * default route, route overrides and preferred providers of its own.
 */
export function RoutingPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const routing = useQuery(trpc.models.routing.queryOptions());
  const routes = useQuery(trpc.models.routes.queryOptions());
  const choices = useQuery(trpc.models.choices.queryOptions());
  const providerRows = useQuery(trpc.models.providers.queryOptions());
  const bots = useQuery(trpc.bots.list.queryOptions());
  const [picked, setPicked] = useState("");
  const [workspaceSaved, setWorkspaceSaved] = useState(false);

  const workspaceRoutes = (routes.data ?? []).map((route) => route.name);
  const callableRoutes = choices.data?.routes ?? workspaceRoutes;
  // Any provider a call could use: the workspace's (enabled or not), the environment's, offline.
  const providers = [
    ...new Set([
      ...(providerRows.data ?? []).map((provider) => provider.name),
      ...(choices.data?.providers ?? []).map((provider) => provider.name),
      "offline",
    ]),
  ];
  const botRows = routing.data?.bots ?? [];
  const names = new Map((bots.data ?? []).map((bot) => [bot.id, bot.name]));
  const botId = botRows.some((bot) => bot.botId === picked) ? picked : (botRows[0]?.botId ?? "");
  const bot = botRows.find((row) => row.botId === botId);
  const ready = routing.data && routes.data && choices.data && providerRows.data;
  return (
    <Section
      id="routing"
      title="Routing"
      description="A node names a route (or none, for the default). Preferred providers' models are tried first in every route, in the order listed. A bot can replace the workspace's choices and send a route name its flows ask for to another route."
    >
      <FormError error={routing.error} />
      {ready && routing.data && (
        <WorkspaceRoutingForm
          key={JSON.stringify(routing.data.workspace)}
          workspace={routing.data.workspace}
          saved={workspaceSaved}
          onSaved={setWorkspaceSaved}
          routes={workspaceRoutes}
          providers={providers}
          canManage={canManage}
        />
      )}
      <Card size="2" id="bot-overrides">
        <Heading as="h3" size="3">
          Bot overrides
        </Heading>
        {ready && botRows.length === 0 ? (
          <Text as="p" size="2" color="gray" mt="2">
            No bots yet: create one to give it routing of its own.
          </Text>
        ) : (
          <Flex direction="column" gap="1" mt="3" mb="2">
            <Text as="label" htmlFor="routing-bot" size="2" weight="medium">
              Bot
            </Text>
            <SimpleSelect
              id="routing-bot"
              value={botId}
              onValueChange={setPicked}
              style={{ maxWidth: 360 }}
              options={botRows.map((row) => ({
                value: row.botId,
                label: `${names.get(row.botId) ?? row.botId}${customised(row) ? " — own routing" : ""}`,
              }))}
            />
          </Flex>
        )}
        {ready && routing.data && bot && (
          <BotOverridesForm
            key={bot.botId}
            bot={bot}
            workspace={routing.data.workspace}
            workspaceRoutes={workspaceRoutes}
            callableRoutes={callableRoutes}
            providers={providers}
            canManage={canManage}
          />
        )}
      </Card>
      {!canManage && (
        <Text as="p" size="2" color="gray" mt="2">
          Owners and admins change routing.
        </Text>
      )}
    </Section>
  );
}
