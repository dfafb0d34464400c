"use client";
import { Button } from "@radix-ui/themes";

import { Plus } from "lucide-react";
import { useTRPC } from "../../client/trpc";
import { useDraftForm } from "../draft-form";
import { Field, FormProblems, InputField } from "../field";
import { FormActions } from "../form-actions";
import { type TargetDraft, TargetList } from "./target-list";
import type { DefaultPrice, PolicyInput, RouteRow } from "./types";

const STRATEGIES: { value: PolicyInput["strategy"] & string; label: string; hint: string }[] = [
  { value: "fallback", label: "Fallback", hint: "try the targets in the order listed" },
  { value: "cost", label: "Cheapest first", hint: "by the price table, among targets that fit the call" },
  { value: "latency", label: "Fastest first", hint: "by the moving average of observed latency" },
];

let keys = 0;
const newKey = () => `t${++keys}`;

interface RouteDraft {
  name: string;
  description: string;
  strategy: "fallback" | "cost" | "latency";
  targets: TargetDraft[];
  timeoutMs: string;
  attempts: string;
  cache: boolean;
  cacheTtl: string;
  pii: boolean;
  isDefault: boolean;
}

function draftOf(route: RouteRow | undefined, firstProvider: string): RouteDraft {
  const policy = route?.policy;
  return {
    name: route?.name ?? "",
    description: route?.description ?? "",
    strategy: policy?.strategy ?? "fallback",
    targets: (
      policy?.targets ?? [
        { provider: firstProvider, model: "", contextTokens: 8192, json: true, tools: false },
      ]
    ).map((target) => ({
      key: newKey(),
      provider: target.provider,
      model: target.model,
      contextTokens: String(target.contextTokens),
      json: target.json,
      tools: target.tools,
      ...(target.timeoutMs !== undefined ? { timeoutMs: target.timeoutMs } : {}),
    })),
    timeoutMs: String(policy?.timeoutMs ?? 30_000),
    attempts: String(policy?.retry.attempts ?? 2),
    cache: policy?.cache.enabled ?? false,
    cacheTtl: String(policy?.cache.ttlSeconds ?? 3_600),
    pii: policy?.pii.enabled ?? false,
    isDefault: route?.isDefault ?? false,
  };
}

const isWhole = (value: string) => /^\d+$/.test(value.trim());

/** Problems the browser can see before sending, by the server's field paths. */
function localProblems(draft: RouteDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.name.trim()) problems.name = "give the route a name (llm nodes refer to it)";
  if (draft.targets.length === 0) problems["policy.targets"] = "a route needs at least one target";
  draft.targets.forEach((target, index) => {
    if (!target.provider) problems[`policy.targets.${index}.provider`] = "choose a provider";
    else if (!target.model.trim()) problems[`policy.targets.${index}.model`] = "name the model";
    else if (!isWhole(target.contextTokens) || Number(target.contextTokens) < 1)
      problems[`policy.targets.${index}.contextTokens`] = "the context window is a whole number of tokens";
  });
  if (!isWhole(draft.timeoutMs) || Number(draft.timeoutMs) < 100 || Number(draft.timeoutMs) > 600_000)
    problems["policy.timeoutMs"] = "between 100 and 600000 ms";
  if (!isWhole(draft.attempts) || Number(draft.attempts) < 1 || Number(draft.attempts) > 5)
    problems["policy.retry.attempts"] = "between 1 and 5";
  if (draft.cache && (!isWhole(draft.cacheTtl) || Number(draft.cacheTtl) < 1))
    problems["policy.cache.ttlSeconds"] = "a whole number of seconds";
  return problems;
}

function policyOf(draft: RouteDraft, previous: RouteRow | undefined): PolicyInput {
  return {
    ...(previous?.policy ?? {}),
    strategy: draft.strategy,
    targets: draft.targets.map((target) => ({
      // A per-target timeout set elsewhere (API, import) travels with its row.
      ...(target.timeoutMs !== undefined ? { timeoutMs: target.timeoutMs } : {}),
      provider: target.provider,
      model: target.model.trim(),
      contextTokens: Number(target.contextTokens),
      json: target.json,
      tools: target.tools,
    })),
    timeoutMs: Number(draft.timeoutMs),
    retry: { ...(previous?.policy.retry ?? {}), attempts: Number(draft.attempts) },
    cache: { enabled: draft.cache, ttlSeconds: Number(draft.cacheTtl) || 3_600 },
    pii: { ...(previous?.policy.pii ?? {}), enabled: draft.pii },
  };
}

/**
 * Creates or edits a route: name, strategy, the ordered targets (drag or move buttons), timeout,
 * retries, caching, PII masking and whether it is the workspace's default.
 */
export function RouteEditor({
  route,
  providers,
  defaults,
  onDone,
}: {
  route: RouteRow | undefined;
  providers: string[];
  defaults: DefaultPrice[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const { draft, errors, save, set, submit } = useDraftForm({
    initial: () => draftOf(route, providers[0] ?? "offline"),
    problems: localProblems,
    mutation: trpc.models.saveRoute.mutationOptions(),
    invalidates: trpc.models.pathKey(),
    toInput: (draft) => ({
      ...(route ? { id: route.id } : {}),
      name: draft.name.trim(),
      description: draft.description.trim(),
      policy: policyOf(draft, route),
      isDefault: draft.isDefault,
    }),
    onSaved: onDone,
  });
  const modelSuggestions = (provider: string) => {
    const models = defaults.filter((price) => price.provider === provider).map((price) => price.model);
    return provider === "offline" ? ["offline"] : models.length > 0 ? models : defaults.map((p) => p.model);
  };
  const shown = [
    "name",
    "description",
    "policy.targets",
    "policy.timeoutMs",
    "policy.retry.attempts",
    "policy.cache.ttlSeconds",
    ...draft.targets.flatMap((_, i) =>
      ["provider", "model", "contextTokens"].map((f) => `policy.targets.${i}.${f}`),
    ),
  ];
  return (
    <form className="card" aria-label={route ? `Edit route ${route.name}` : "New route"} onSubmit={submit}>
      <h3 className="form-title">{route ? `Edit route ${route.name}` : "New route"}</h3>
      <div className="form-grid">
        <InputField
          id="route-name"
          label="Name"
          error={errors.name}
          hint='llm nodes name it; "default" replaces the built-in default'
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          placeholder="e.g. main"
        />
        <Field id="route-description" label="Description (optional)" error={errors.description}>
          <input
            id="route-description"
            value={draft.description}
            onChange={(e) => set({ description: e.target.value })}
          />
        </Field>
      </div>
      <fieldset style={{ border: 0, padding: 0, margin: "10px 0 0" }}>
        <legend style={{ fontWeight: 500 }}>Routing policy</legend>
        <div className="choice-group">
          {STRATEGIES.map((strategy) => (
            <label key={strategy.value} className="choice">
              <input
                type="radio"
                name="strategy"
                value={strategy.value}
                checked={draft.strategy === strategy.value}
                onChange={() => set({ strategy: strategy.value })}
              />
              <div>
                <b>{strategy.label}</b>
                <span>{strategy.hint}</span>
              </div>
            </label>
          ))}
        </div>
      </fieldset>
      <TargetList
        targets={draft.targets}
        onChange={(targets) => set({ targets })}
        providers={providers}
        modelSuggestions={modelSuggestions}
        errors={errors}
      />
      {errors["policy.targets"] && (
        <div className="field-error" role="alert">
          {errors["policy.targets"]}
        </div>
      )}
      <Button
        variant="soft"
        color="gray"
        type="button"
        style={{ marginTop: 8 }}
        onClick={() =>
          set({
            targets: [
              ...draft.targets,
              {
                key: newKey(),
                provider: providers[0] ?? "offline",
                model: "",
                contextTokens: "8192",
                json: true,
                tools: false,
              },
            ],
          })
        }
      >
        <Plus size={14} aria-hidden /> Add target
      </Button>
      <div className="form-grid" style={{ marginTop: 4 }}>
        <InputField
          id="route-timeout"
          label="Timeout per attempt (ms)"
          error={errors["policy.timeoutMs"]}
          inputMode="numeric"
          value={draft.timeoutMs}
          onChange={(e) => set({ timeoutMs: e.target.value })}
        />
        <InputField
          id="route-attempts"
          label="Tries per target"
          error={errors["policy.retry.attempts"]}
          hint="retries back off and honour Retry-After"
          inputMode="numeric"
          value={draft.attempts}
          onChange={(e) => set({ attempts: e.target.value })}
        />
        <InputField
          id="route-ttl"
          label="Cache answers for (s)"
          error={errors["policy.cache.ttlSeconds"]}
          inputMode="numeric"
          value={draft.cacheTtl}
          disabled={!draft.cache}
          onChange={(e) => set({ cacheTtl: e.target.value })}
        />
      </div>
      <div>
        <label className="check">
          <input type="checkbox" checked={draft.cache} onChange={(e) => set({ cache: e.target.checked })} />
          Cache identical requests
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.pii} onChange={(e) => set({ pii: e.target.checked })} />
          Mask personal data before it leaves the platform
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.isDefault}
            onChange={(e) => set({ isDefault: e.target.checked })}
          />
          The workspace's default route
        </label>
      </div>
      <FormProblems error={save.error} shown={shown} />
      <FormActions label="Save route" pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
