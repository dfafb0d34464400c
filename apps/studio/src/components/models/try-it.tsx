"use client";

import { tryPromptInputSchema } from "@parley/contract";
import { Badge, Box, Button, Card, Code, DataList, Flex, Grid, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Send } from "lucide-react";
import type { ReactNode } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../field";
import { applyServerErrorsWhere, SelectFormField, useContractForm } from "../ui/form-controls";
import { TextAreaFormField } from "../ui/form-field";
import { Section } from "../ui/section";
import { usd } from "./budgets-panel";
import type { TryResult } from "./types";

function Result({ result }: { result: TryResult }) {
  const fallbacks = result.attempts.filter((attempt) => attempt.outcome !== "ok");
  const fact = (label: string, value: ReactNode, testId?: string) => (
    <DataList.Item>
      <DataList.Label minWidth="120px">{label}</DataList.Label>
      <DataList.Value data-testid={testId}>{value}</DataList.Value>
    </DataList.Item>
  );
  return (
    <div data-testid="try-result">
      <Card variant="surface" mb="3">
        <Text as="p" size="2" data-testid="try-answer" style={{ whiteSpace: "pre-wrap" }}>
          {result.text}
        </Text>
      </Card>
      <DataList.Root size="2">
        {fact("Answered by", `${result.provider ?? "?"}/${result.model ?? "?"}`, "try-model")}
        {fact(
          "Route",
          result.requestedRoute === result.route
            ? result.route
            : `${result.requestedRoute} → ${result.route}`,
          "try-route-used",
        )}
        {fact("Tokens in / out", `${result.inputTokens} / ${result.outputTokens}`)}
        {fact("Cost", usd(result.costUsd), "try-cost")}
        {fact("Latency", `${Math.round(result.latencyMs)} ms`, "try-latency")}
        {fact("Cache", result.cacheHit ? "hit" : "miss")}
      </DataList.Root>
      <Box mt="3" data-testid="try-fallbacks">
        <Text size="2" weight="bold">
          Fallbacks tried:
        </Text>{" "}
        {fallbacks.length === 0 ? (
          <Text size="2" color="gray">
            none — the first choice answered
          </Text>
        ) : (
          <Box asChild m="0" mt="1" pl="5">
            <ol>
              {fallbacks.map((attempt) => (
                <li key={`${attempt.position}-${attempt.try}`}>
                  <Text size="2">
                    <Code>
                      {attempt.provider}/{attempt.model}
                    </Code>{" "}
                    <Badge color="red">{attempt.outcome}</Badge>
                    {attempt.try > 1 ? ` (try ${attempt.try})` : ""}{" "}
                    <Text color="gray">
                      {attempt.error ?? ""} · {Math.round(attempt.latencyMs)} ms
                    </Text>
                  </Text>
                </li>
              ))}
            </ol>
          </Box>
        )}
      </Box>
    </div>
  );
}

/**
 * Sends a prompt through a route exactly as a bot's llm node would (budgets, cache, fallbacks,
 * accounting; as a chosen bot, that bot's default route, overrides and preferred providers) and
 * shows the answer, which route, provider and model gave it, tokens, cost and latency.
 */
export function TryIt({ canTry }: { canTry: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const choices = useQuery(trpc.models.choices.queryOptions());
  const bots = useQuery(trpc.bots.list.queryOptions());
  const routing = useQuery(trpc.models.routing.queryOptions());
  const form = useContractForm(tryPromptInputSchema, {
    defaultValues: { prompt: "Say hello in one short sentence." },
  });
  const send = useMutation(
    trpc.models.tryPrompt.mutationOptions({
      // The call's spend counts against budgets: show it.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.models.budgets.queryKey() }),
      onError: (error) => applyServerErrorsWhere(form, error, /^(prompt|route|botId)$/),
    }),
  );
  const [route, botId] = form.watch(["route", "botId"]);
  const routes = choices.data?.routes ?? [];
  // Names only the chosen bot answers to: the route names its overrides send elsewhere.
  const overridden = (routing.data?.bots.find((bot) => bot.botId === botId)?.routeOverrides ?? [])
    .map((override) => override.requested)
    .filter((name) => !routes.includes(name));
  // No route named: the default one, which depends on the bot (the server resolves it).
  const defaultLabel = botId
    ? "the bot's default"
    : `workspace default: ${choices.data?.defaultRoute ?? "default"}`;
  return (
    <Section id="try" title="Try it">
      <Card size="2">
        <Grid columns={{ initial: "1", md: "2" }} gap="5">
          <form
            aria-label="Try a prompt"
            noValidate
            onSubmit={form.handleSubmit((values) => send.mutate(values))}
          >
            {/* Side by side only while the form has the card's whole width: in half of it, a route's
                words ("— none (workspace default: …) —") would be cut. */}
            <Grid columns={{ initial: "1", sm: "2", md: "1" }} gapX="4">
              <SelectFormField
                form={form}
                name="route"
                id="try-route"
                label="Route"
                empty="absent"
                options={[
                  { value: "", label: `— none (${defaultLabel}) —` },
                  ...routes,
                  ...overridden.map((name) => ({ value: name, label: `${name} (overridden for this bot)` })),
                ]}
              />
              <SelectFormField
                form={form}
                name="botId"
                id="try-bot"
                label="As bot (optional)"
                help="its routing, preferred providers and budget apply"
                empty="absent"
                onPicked={() => {
                  // A name only the previous bot overrides means nothing without it.
                  if (route && !routes.includes(route)) form.setValue("route", undefined);
                }}
                options={[
                  { value: "", label: "— workspace only —" },
                  ...(bots.data ?? []).map((bot) => ({ value: bot.id, label: bot.name })),
                ]}
              />
            </Grid>
            <TextAreaFormField form={form} name="prompt" id="try-prompt" label="Prompt" rows={4} />
            <FormProblems error={send.error} shown={["prompt", "route", "botId"]} />
            <Flex gap="3" align="center" mt="4">
              <Button type="submit" disabled={!canTry || send.isPending}>
                <Send size={14} aria-hidden /> {send.isPending ? "Sending…" : "Send"}
              </Button>
              {!canTry && (
                <Text size="2" color="gray">
                  Your role cannot send prompts (editors and up can).
                </Text>
              )}
            </Flex>
          </form>
          <div aria-live="polite">
            {send.data ? (
              <Result result={send.data} />
            ) : (
              <Flex
                height="100%"
                minHeight="120px"
                align="center"
                justify="center"
                p="4"
                style={{ border: "1px dashed var(--gray-a6)", borderRadius: "var(--radius-3)" }}
              >
                <Text size="2" color="gray" align="center">
                  The answer, the model that gave it, tokens, cost and latency appear here.
                </Text>
              </Flex>
            )}
          </div>
        </Grid>
      </Card>
    </Section>
  );
}
