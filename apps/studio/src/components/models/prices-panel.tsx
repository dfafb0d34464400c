"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";
import { FormError } from "../form-error";

interface PriceDraft {
  provider: string;
  model: string;
  input: string;
  output: string;
}

const EMPTY: PriceDraft = { provider: "", model: "", input: "", output: "" };

function localProblems(draft: PriceDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.provider.trim()) problems.provider = "a provider name or kind (or * for any)";
  if (!draft.model.trim()) problems.model = "the model id";
  for (const [field, value] of [
    ["inputPerMillion", draft.input],
    ["outputPerMillion", draft.output],
  ] as const) {
    const number = Number(value);
    if (value.trim() === "" || !Number.isFinite(number) || number < 0)
      problems[field] = "USD per million tokens, 0 or more";
  }
  return problems;
}

/** The form that sets one price (new, or an existing one being edited). */
function PriceForm({
  draft,
  setDraft: replaceDraft,
  providers,
  onSaved,
}: {
  draft: PriceDraft;
  setDraft: (draft: PriceDraft) => void;
  providers: string[];
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Checked as the user types once a save was tried; the server's problems last until the next change.
  const [tried, setTried] = useState(false);
  const save = useMutation(
    trpc.models.savePrice.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.prices.queryKey() });
        setTried(false);
        onSaved();
      },
    }),
  );
  const setDraft = (next: PriceDraft) => {
    replaceDraft(next);
    if (save.error) save.reset();
  };
  const local = tried ? localProblems(draft) : {};
  const errors = { ...issuesOf(save.error), ...local };
  return (
    <form
      className="card"
      aria-label="Set a price"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (Object.keys(localProblems(draft)).length > 0) return;
        save.mutate({
          provider: draft.provider.trim(),
          model: draft.model.trim(),
          inputPerMillion: Number(draft.input),
          outputPerMillion: Number(draft.output),
        });
      }}
    >
      <div className="form-grid">
        <Field
          id="price-provider"
          label="Provider"
          error={errors.provider}
          hint="a provider's name or kind; * = any"
        >
          <input
            id="price-provider"
            list="price-providers"
            value={draft.provider}
            onChange={(e) => setDraft({ ...draft, provider: e.target.value })}
            {...invalidProps("price-provider", errors.provider)}
          />
          <datalist id="price-providers">
            {providers.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </Field>
        <Field id="price-model" label="Model" error={errors.model}>
          <input
            id="price-model"
            value={draft.model}
            onChange={(e) => setDraft({ ...draft, model: e.target.value })}
            {...invalidProps("price-model", errors.model)}
          />
        </Field>
        <Field id="price-input" label="Input, USD / 1M tokens" error={errors.inputPerMillion}>
          <input
            id="price-input"
            inputMode="decimal"
            value={draft.input}
            onChange={(e) => setDraft({ ...draft, input: e.target.value })}
            {...invalidProps("price-input", errors.inputPerMillion)}
          />
        </Field>
        <Field id="price-output" label="Output, USD / 1M tokens" error={errors.outputPerMillion}>
          <input
            id="price-output"
            inputMode="decimal"
            value={draft.output}
            onChange={(e) => setDraft({ ...draft, output: e.target.value })}
            {...invalidProps("price-output", errors.outputPerMillion)}
          />
        </Field>
      </div>
      <FormProblems error={save.error} shown={["provider", "model", "inputPerMillion", "outputPerMillion"]} />
      <div className="form-actions">
        <button className="primary" type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save price"}
        </button>
        {(draft.provider || draft.model) && (
          <button
            type="button"
            onClick={() => {
              setTried(false);
              setDraft(EMPTY);
            }}
          >
            Clear
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * The price table: the workspace's prices (USD per million tokens) override the built-in list
 * prices; costs in "try it", budgets and analytics come from it.
 */
export function PricesPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const prices = useQuery(trpc.models.prices.queryOptions());
  const providers = useQuery(trpc.models.providers.queryOptions());
  const [draft, setDraft] = useState<PriceDraft>(EMPTY);
  const remove = useMutation(
    trpc.models.deletePrice.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.models.prices.queryKey() }),
    }),
  );
  const own = prices.data?.prices ?? [];
  const overridden = (provider: string, model: string) =>
    own.some((price) => price.provider === provider && price.model === model);
  const edit = (provider: string, model: string, input: number, output: number) => {
    setDraft({ provider, model, input: String(input), output: String(output) });
    document.getElementById("price-input")?.focus();
  };
  const providerNames = [
    ...new Set([
      ...(providers.data ?? []).flatMap((p) => [p.name, p.kind]),
      "openai",
      "anthropic",
      "google",
      "*",
    ]),
  ];
  return (
    <section className="section" id="prices" aria-labelledby="prices-title">
      <div className="section-head">
        <h2 id="prices-title">Price table</h2>
      </div>
      <FormError error={prices.error ?? remove.error} />
      {canManage && (
        <PriceForm
          draft={draft}
          setDraft={setDraft}
          providers={providerNames}
          onSaved={() => setDraft(EMPTY)}
        />
      )}
      <table>
        <thead>
          <tr>
            <th>Provider</th>
            <th>Model</th>
            <th className="num">Input / 1M</th>
            <th className="num">Output / 1M</th>
            <th>Source</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {own.map((price) => (
            <tr key={price.id}>
              <td>
                <code>{price.provider}</code>
              </td>
              <td>
                <code>{price.model}</code>
              </td>
              <td className="num">${price.inputPerMillion}</td>
              <td className="num">${price.outputPerMillion}</td>
              <td>
                <span className="badge ok">workspace</span>
              </td>
              <td className="actions">
                {canManage && (
                  <>
                    <button
                      className="small"
                      type="button"
                      onClick={() =>
                        edit(price.provider, price.model, price.inputPerMillion, price.outputPerMillion)
                      }
                    >
                      Edit
                    </button>
                    <button
                      className="small danger"
                      type="button"
                      onClick={() => remove.mutate({ priceId: price.id })}
                      aria-label={`Delete the price of ${price.provider}/${price.model}`}
                    >
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
          {prices.data?.defaults
            .filter((price) => !overridden(price.provider, price.model))
            .map((price) => (
              <tr key={`default-${price.provider}-${price.model}`} className="muted-row">
                <td>
                  <code>{price.provider}</code>
                </td>
                <td>
                  <code>{price.model}</code>
                </td>
                <td className="num">${price.inputPerMillion}</td>
                <td className="num">${price.outputPerMillion}</td>
                <td>
                  <span className="badge">built-in list price</span>
                </td>
                <td className="actions">
                  {canManage && (
                    <button
                      className="small"
                      type="button"
                      onClick={() =>
                        edit(price.provider, price.model, price.inputPerMillion, price.outputPerMillion)
                      }
                    >
                      Override
                    </button>
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
