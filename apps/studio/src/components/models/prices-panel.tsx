"use client";
import { Badge, Button, Table } from "@radix-ui/themes";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { useDraftForm } from "../draft-form";
import { Field, FormProblems, InputField, invalidProps } from "../field";
import { FormActions } from "../form-actions";
import { FormError } from "../form-error";
import { EditDeleteButtons, useDeleteRow } from "./row-actions";

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
  draft: current,
  setDraft,
  providers,
  onSaved,
}: {
  draft: PriceDraft;
  setDraft: (draft: PriceDraft) => void;
  providers: string[];
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const form = useDraftForm({
    initial: EMPTY,
    // The panel holds the draft: its table's Edit and Override buttons fill it in.
    controlled: [current, setDraft],
    problems: localProblems,
    mutation: trpc.models.savePrice.mutationOptions(),
    invalidates: trpc.models.prices.queryKey(),
    toInput: (draft) => ({
      provider: draft.provider.trim(),
      model: draft.model.trim(),
      inputPerMillion: Number(draft.input),
      outputPerMillion: Number(draft.output),
    }),
    // The form stays for the next price, which starts unchecked.
    onSaved: () => {
      form.forget();
      onSaved();
    },
  });
  const { draft, errors, save, set } = form;
  return (
    <form className="card" aria-label="Set a price" onSubmit={form.submit}>
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
            onChange={(e) => set({ provider: e.target.value })}
            {...invalidProps("price-provider", errors.provider)}
          />
          <datalist id="price-providers">
            {providers.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </Field>
        <InputField
          id="price-model"
          label="Model"
          error={errors.model}
          value={draft.model}
          onChange={(e) => set({ model: e.target.value })}
        />
        <InputField
          id="price-input"
          label="Input, USD / 1M tokens"
          error={errors.inputPerMillion}
          inputMode="decimal"
          value={draft.input}
          onChange={(e) => set({ input: e.target.value })}
        />
        <InputField
          id="price-output"
          label="Output, USD / 1M tokens"
          error={errors.outputPerMillion}
          inputMode="decimal"
          value={draft.output}
          onChange={(e) => set({ output: e.target.value })}
        />
      </div>
      <FormProblems error={save.error} shown={["provider", "model", "inputPerMillion", "outputPerMillion"]} />
      <FormActions label="Save price" pending={save.isPending}>
        {(draft.provider || draft.model) && (
          <Button
            variant="soft"
            color="gray"
            type="button"
            onClick={() => {
              form.forget();
              set(EMPTY);
            }}
          >
            Clear
          </Button>
        )}
      </FormActions>
    </form>
  );
}

/**
 * The price table: the workspace's prices (USD per million tokens) override the built-in list
 * prices; costs in "try it", budgets and analytics come from it.
 */
export function PricesPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const prices = useQuery(trpc.models.prices.queryOptions());
  const providers = useQuery(trpc.models.providers.queryOptions());
  const [draft, setDraft] = useState<PriceDraft>(EMPTY);
  const remove = useDeleteRow(trpc.models.deletePrice.mutationOptions(), trpc.models.prices.queryKey());
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
      <Table.Root variant="surface">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>Provider</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Model</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell className="num">Input / 1M</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell className="num">Output / 1M</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Source</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {own.map((price) => (
            <Table.Row key={price.id}>
              <Table.Cell>
                <code>{price.provider}</code>
              </Table.Cell>
              <Table.Cell>
                <code>{price.model}</code>
              </Table.Cell>
              <Table.Cell className="num">${price.inputPerMillion}</Table.Cell>
              <Table.Cell className="num">${price.outputPerMillion}</Table.Cell>
              <Table.Cell>
                <Badge color="green">workspace</Badge>
              </Table.Cell>
              <Table.Cell className="actions">
                {canManage && (
                  <EditDeleteButtons
                    onEdit={() =>
                      edit(price.provider, price.model, price.inputPerMillion, price.outputPerMillion)
                    }
                    onDelete={() => remove.mutate({ priceId: price.id })}
                    deleteLabel={`Delete the price of ${price.provider}/${price.model}`}
                  />
                )}
              </Table.Cell>
            </Table.Row>
          ))}
          {prices.data?.defaults
            .filter((price) => !overridden(price.provider, price.model))
            .map((price) => (
              <Table.Row key={`default-${price.provider}-${price.model}`} className="muted-row">
                <Table.Cell>
                  <code>{price.provider}</code>
                </Table.Cell>
                <Table.Cell>
                  <code>{price.model}</code>
                </Table.Cell>
                <Table.Cell className="num">${price.inputPerMillion}</Table.Cell>
                <Table.Cell className="num">${price.outputPerMillion}</Table.Cell>
                <Table.Cell>
                  <Badge color="gray">built-in list price</Badge>
                </Table.Cell>
                <Table.Cell className="actions">
                  {canManage && (
                    <Button
                      size="1"
                      variant="soft"
                      color="gray"
                      type="button"
                      onClick={() =>
                        edit(price.provider, price.model, price.inputPerMillion, price.outputPerMillion)
                      }
                    >
                      Override
                    </Button>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
        </Table.Body>
      </Table.Root>
    </section>
  );
}
