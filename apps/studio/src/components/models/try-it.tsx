"use client";
import { Badge, Button } from "@radix-ui/themes";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Send } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";
import { SimpleSelect } from "../ui/simple-select";
import { usd } from "./budgets-panel";
import type { TryResult } from "./types";

function Result({ result }: { result: TryResult }) {
  const fallbacks = result.attempts.filter((attempt) => attempt.outcome !== "ok");
  return (
    <div data-testid="try-result">
      <pre className="answer" data-testid="try-answer">
        {result.text}
      </pre>
      <dl className="facts">
        <div>
          <dt>Answered by</dt>
          <dd data-testid="try-model">
            {result.provider ?? "?"}/{result.model ?? "?"}
          </dd>
        </div>
        <div>
          <dt>Route</dt>
          <dd data-testid="try-route-used">
            {result.requestedRoute === result.route ? (
              result.route
            ) : (
              <>
                {result.requestedRoute} → {result.route}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Tokens in / out</dt>
          <dd>
            {result.inputTokens} / {result.outputTokens}
          </dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd data-testid="try-cost">{usd(result.costUsd)}</dd>
        </div>
        <div>
          <dt>Latency</dt>
          <dd data-testid="try-latency">{Math.round(result.latencyMs)} ms</dd>
        </div>
        <div>
          <dt>Cache</dt>
          <dd>{result.cacheHit ? "hit" : "miss"}</dd>
        </div>
      </dl>
      <div style={{ marginTop: 10 }} data-testid="try-fallbacks">
        <b>Fallbacks tried:</b>{" "}
        {fallbacks.length === 0 ? (
          <span className="muted">none — the first choice answered</span>
        ) : (
          <ol className="attempts">
            {fallbacks.map((attempt) => (
              <li key={`${attempt.position}-${attempt.try}`}>
                <code>
                  {attempt.provider}/{attempt.model}
                </code>{" "}
                <Badge color="red">{attempt.outcome}</Badge>
                {attempt.try > 1 ? ` (try ${attempt.try})` : ""}{" "}
                <span className="muted">
                  {attempt.error ?? ""} · {Math.round(attempt.latencyMs)} ms
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
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
  const [route, setRoute] = useState("");
  const [botId, setBotId] = useState("");
  const [prompt, setPrompt] = useState("Say hello in one short sentence.");
  const [tried, setTried] = useState(false);
  const send = useMutation(
    trpc.models.tryPrompt.mutationOptions({
      // The call's spend counts against budgets: show it.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.models.budgets.queryKey() }),
    }),
  );
  const errors = issuesOf(send.error);
  const promptError = tried && !prompt.trim() ? "type a prompt" : errors.prompt;
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
    <section className="section" id="try" aria-labelledby="try-title">
      <div className="section-head">
        <h2 id="try-title">Try it</h2>
      </div>
      <div className="card try-grid">
        <form
          aria-label="Try a prompt"
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (!prompt.trim()) return;
            send.mutate({ prompt, ...(route ? { route } : {}), ...(botId ? { botId } : {}) });
          }}
        >
          <div className="form-grid">
            <Field id="try-route" label="Route" error={errors.route}>
              <SimpleSelect
                id="try-route"
                value={route}
                onValueChange={setRoute}
                options={[
                  { value: "", label: `— none (${defaultLabel}) —` },
                  ...routes,
                  ...overridden.map((name) => ({ value: name, label: `${name} (overridden for this bot)` })),
                ]}
              />
            </Field>
            <Field
              id="try-bot"
              label="As bot (optional)"
              hint="its routing, preferred providers and budget apply"
            >
              <SimpleSelect
                id="try-bot"
                value={botId}
                onValueChange={(value) => {
                  setBotId(value);
                  // A name only the previous bot overrides means nothing without it.
                  if (route && !routes.includes(route)) setRoute("");
                }}
                options={[
                  { value: "", label: "— workspace only —" },
                  ...(bots.data ?? []).map((bot) => ({ value: bot.id, label: bot.name })),
                ]}
              />
            </Field>
          </div>
          <Field id="try-prompt" label="Prompt" error={promptError}>
            <textarea
              id="try-prompt"
              rows={4}
              value={prompt}
              onChange={(e) => {
                setPrompt(e.target.value);
                if (send.error) send.reset();
              }}
              {...invalidProps("try-prompt", promptError)}
            />
          </Field>
          <FormProblems error={send.error} shown={["prompt", "route"]} />
          <div className="form-actions">
            <Button type="submit" disabled={!canTry || send.isPending}>
              <Send size={14} aria-hidden /> {send.isPending ? "Sending…" : "Send"}
            </Button>
            {!canTry && <span className="muted">Your role cannot send prompts (editors and up can).</span>}
          </div>
        </form>
        <div aria-live="polite">
          {send.data ? (
            <Result result={send.data} />
          ) : (
            <div className="empty" style={{ height: "100%", display: "grid", placeItems: "center" }}>
              The answer, the model that gave it, tokens, cost and latency appear here.
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
