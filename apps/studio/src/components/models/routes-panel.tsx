"use client";
import { Badge, Box, Button, Card, Flex, Text } from "@radix-ui/themes";

import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { Section } from "../ui/section";
import { RouteEditor } from "./route-editor";
import { EditDeleteButtons, useDeleteRow } from "./row-actions";
import type { RouteRow } from "./types";

const STRATEGY_LABEL = { fallback: "fallback", cost: "cheapest first", latency: "fastest first" } as const;

/** The workspace's routes: ordered policies llm nodes and bots choose by name. */
export function RoutesPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const routes = useQuery(trpc.models.routes.queryOptions());
  const providers = useQuery(trpc.models.providers.queryOptions());
  const choices = useQuery(trpc.models.choices.queryOptions());
  const prices = useQuery(trpc.models.prices.queryOptions());
  const [editing, setEditing] = useState<RouteRow | "new" | null>(null);
  const remove = useDeleteRow(trpc.models.deleteRoute.mutationOptions(), trpc.models.pathKey());
  // Targets may name the workspace's providers or the built-in offline provider.
  const providerNames = [...new Set([...(providers.data ?? []).map((provider) => provider.name), "offline"])];
  const builtInDefault = routes.data && !routes.data.some((route) => route.name === "default");
  return (
    <Section
      id="routes"
      title="Routes"
      description="A route is an ordered list of models. A provider error, timeout, rate limit, empty or refused answer moves the call to the next target; budgets and the price table apply to every call."
      actions={
        canManage &&
        editing === null && (
          <Button variant="soft" color="gray" type="button" onClick={() => setEditing("new")}>
            <Plus size={14} aria-hidden /> New route
          </Button>
        )
      }
    >
      {editing !== null && (
        <RouteEditor
          key={editing === "new" ? "new" : editing.id}
          route={editing === "new" ? undefined : editing}
          providers={providerNames}
          defaults={prices.data?.defaults ?? []}
          onDone={() => setEditing(null)}
        />
      )}
      <FormError error={routes.error ?? remove.error} />
      {routes.data?.map((route) => (
        <Card size="2" mb="2" key={route.id} data-testid={`route-${route.name}`}>
          <Flex gap="3" align="start">
            <Box flexGrow="1" minWidth="0">
              <Flex gap="2" align="center" wrap="wrap">
                <Text weight="bold">{route.name}</Text>
                {route.isDefault && <Badge color="green">default</Badge>}
                <Badge color="gray">{STRATEGY_LABEL[route.policy.strategy]}</Badge>
                {route.policy.cache.enabled && (
                  <Badge color="gray">cached {route.policy.cache.ttlSeconds}s</Badge>
                )}
                {route.policy.pii.enabled && <Badge color="amber">PII masked</Badge>}
              </Flex>
              {route.description && (
                <Text as="p" size="2" color="gray" mt="1">
                  {route.description}
                </Text>
              )}
              <div className="chain">
                {route.policy.targets.map((target, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a step's position is its identity in this read-only chain
                  <Flex key={`${target.provider}/${target.model}/${index}`} gap="1" align="center">
                    {index > 0 && (
                      <Text color="gray" aria-hidden>
                        →
                      </Text>
                    )}
                    <span className="chip">
                      <span className="n">{index + 1}.</span>
                      {target.provider}/{target.model}
                    </span>
                  </Flex>
                ))}
              </div>
            </Box>
            {canManage && (
              <Flex gap="2">
                <EditDeleteButtons
                  onEdit={() => setEditing(route)}
                  onDelete={() => remove.mutate({ routeId: route.id })}
                  confirm={`Delete route ${route.name}?`}
                />
              </Flex>
            )}
          </Flex>
        </Card>
      ))}
      {builtInDefault && (
        <Card size="2" variant="surface">
          <Flex gap="2" align="center" wrap="wrap">
            <Text weight="bold">default</Text>
            {choices.data?.defaultRoute === "default" && <Badge color="green">default</Badge>}
            <Badge color="gray">built in</Badge>
          </Flex>
          <Text as="p" size="2" color="gray" mt="1">
            From the server's environment: its configured keys in the order OpenAI, Anthropic, Google, Hugging
            Face, then the offline provider. Define a route named "default" to replace it.
          </Text>
        </Card>
      )}
    </Section>
  );
}
