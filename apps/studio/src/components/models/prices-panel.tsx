"use client";

import { modelPriceSchema } from "@parley/contract";
import { Badge, Button, Card, Grid, Table } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { FormActions } from "../form-actions";
import { FormError } from "../form-error";
import {
  applyServerErrorsWhere,
  ComboboxFormField,
  NumberFormField,
  useContractForm,
} from "../ui/form-controls";
import { TextFormField } from "../ui/form-field";
import { Section } from "../ui/section";
import { toast } from "../ui/toast";
import { EditDeleteButtons, useDeleteRow } from "./row-actions";

/** The price form's values: the contract's price (numbers absent until typed). */
type PriceValues = z.input<typeof modelPriceSchema>;
type PriceFormApi = UseFormReturn<PriceValues, unknown, z.output<typeof modelPriceSchema>>;

const EMPTY = { provider: "", model: "" } as PriceValues;
const PRICE_FIELDS = /^(provider|model|inputPerMillion|outputPerMillion)$/;

/** The form that sets one price (new, or an existing one being edited: the panel fills it in). */
function PriceForm({ form, providers }: { form: PriceFormApi; providers: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(
    trpc.models.savePrice.mutationOptions({
      onSuccess: async (_, input) => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.prices.queryKey() });
        toast.success(`Price of ${input.provider}/${input.model} saved`);
        // The form stays for the next price.
        form.reset(EMPTY);
      },
      onError: (error) => applyServerErrorsWhere(form, error, PRICE_FIELDS),
    }),
  );
  const [provider, model] = form.watch(["provider", "model"]);
  return (
    <Card size="2" mb="3" asChild>
      <form
        aria-label="Set a price"
        noValidate
        onSubmit={form.handleSubmit((values) =>
          save.mutate({ ...values, provider: values.provider.trim(), model: values.model.trim() }),
        )}
      >
        <Grid columns={{ initial: "1", sm: "2", md: "4" }} gapX="4">
          <ComboboxFormField
            form={form}
            name="provider"
            id="price-provider"
            label="Provider"
            help="a provider's name or kind; * = any"
            suggestions={providers}
            listLabel="Providers"
          />
          <TextFormField form={form} name="model" id="price-model" label="Model" />
          <NumberFormField
            form={form}
            name="inputPerMillion"
            id="price-input"
            label="Input, USD / 1M tokens"
          />
          <NumberFormField
            form={form}
            name="outputPerMillion"
            id="price-output"
            label="Output, USD / 1M tokens"
          />
        </Grid>
        <FormProblems
          error={save.error}
          shown={Object.keys(issuesOf(save.error)).filter((path) => PRICE_FIELDS.test(path))}
        />
        <FormActions label="Save price" pending={save.isPending}>
          {(provider || model) && (
            <Button variant="soft" color="gray" type="button" onClick={() => form.reset(EMPTY)}>
              Clear
            </Button>
          )}
        </FormActions>
      </form>
    </Card>
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
  const form = useContractForm(modelPriceSchema, { defaultValues: EMPTY });
  const remove = useDeleteRow(trpc.models.deletePrice.mutationOptions(), trpc.models.prices.queryKey());
  const own = prices.data?.prices ?? [];
  const overridden = (provider: string, model: string) =>
    own.some((price) => price.provider === provider && price.model === model);
  const edit = (provider: string, model: string, input: number, output: number) => {
    form.reset({ provider, model, inputPerMillion: input, outputPerMillion: output });
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
    <Section id="prices" title="Price table">
      <FormError error={prices.error ?? remove.error} />
      {canManage && <PriceForm form={form} providers={providerNames} />}
      <Table.Root variant="surface">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>Provider</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Model</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell className="num">Input / 1M</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell className="num">Output / 1M</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Source</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>
              <span className="sr-only">Actions</span>
            </Table.ColumnHeaderCell>
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
    </Section>
  );
}
