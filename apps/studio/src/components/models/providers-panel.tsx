"use client";

import { saveProviderSchema } from "@parley/contract";
import { Badge, Button, Card, Checkbox, Flex, Grid, Heading, Table, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { FormActions } from "../form-actions";
import { FormError } from "../form-error";
import { applyServerErrorsWhere, CheckboxField, SelectFormField, useContractForm } from "../ui/form-controls";
import { TextFormField } from "../ui/form-field";
import { Section } from "../ui/section";
import { toast } from "../ui/toast";
import { EditDeleteButtons, useDeleteRow } from "./row-actions";
import type { ProviderKind, ProviderRow } from "./types";

/** The provider families a workspace can add (the offline provider is built in). */
export const PROVIDER_KINDS: { kind: Exclude<ProviderKind, "offline">; label: string; hint: string }[] = [
  { kind: "openai", label: "OpenAI", hint: "api.openai.com; the key from platform.openai.com" },
  {
    kind: "azure_openai",
    label: "Azure OpenAI",
    hint: "your resource's endpoint, API version and deployment",
  },
  { kind: "anthropic", label: "Anthropic", hint: "api.anthropic.com; the key from console.anthropic.com" },
  { kind: "google", label: "Google Gemini", hint: "the Gemini API key from Google AI Studio" },
  { kind: "huggingface", label: "Hugging Face", hint: "an HF token; optionally a dedicated endpoint URL" },
  {
    kind: "openai_compatible",
    label: "OpenAI-compatible server",
    hint: "vLLM, Ollama, llama.cpp…: the server's base URL (…/v1)",
  },
];

/** Human name of a provider kind. */
export function kindLabel(kind: string): string {
  return (
    PROVIDER_KINDS.find((entry) => entry.kind === kind)?.label ?? (kind === "offline" ? "Offline" : kind)
  );
}

/** The provider form: the contract's save schema, plus what each kind of provider needs to be reached. */
const providerForm = saveProviderSchema.superRefine((provider, ctx) => {
  const needsUrl = provider.kind === "openai_compatible" || provider.kind === "azure_openai";
  if (needsUrl && !provider.baseUrl)
    ctx.addIssue({
      code: "custom",
      path: ["baseUrl"],
      message: "this kind of provider needs its server's URL",
    });
  if (provider.kind === "azure_openai" && !provider.options?.apiVersion)
    ctx.addIssue({
      code: "custom",
      path: ["options", "apiVersion"],
      message: "Azure needs an API version, e.g. 2024-10-21",
    });
});

/** Fields of the form (server problems on other paths go to the banner). */
const PROVIDER_FIELDS = /^(name|kind|baseUrl|apiKey|options\.(apiVersion|deployment|inferenceProvider))$/;

function ProviderForm({ provider, onDone }: { provider: ProviderRow | undefined; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useContractForm(providerForm, {
    defaultValues: {
      ...(provider ? { id: provider.id } : {}),
      name: provider?.name ?? "",
      kind: provider && provider.kind !== "offline" ? provider.kind : "openai",
      ...(provider?.baseUrl ? { baseUrl: provider.baseUrl } : {}),
      options: provider?.options ?? {},
      enabled: provider?.enabled ?? true,
    },
  });
  const save = useMutation(
    trpc.models.saveProvider.mutationOptions({
      onSuccess: async (_, input) => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
        toast.success(`Provider ${input.name} saved`);
        onDone();
      },
      onError: (error) => applyServerErrorsWhere(form, error, PROVIDER_FIELDS),
    }),
  );
  const kind = form.watch("kind");
  const apiKey = form.watch("apiKey");
  const kindInfo = PROVIDER_KINDS.find((entry) => entry.kind === kind);
  const needsUrl = kind === "openai_compatible" || kind === "azure_openai";
  return (
    <Card size="2" mb="3" asChild>
      <form
        aria-label={provider ? `Edit provider ${provider.name}` : "New provider"}
        noValidate
        onSubmit={form.handleSubmit((values) =>
          save.mutate({ ...values, name: values.name.trim(), baseUrl: values.baseUrl?.trim() || undefined }),
        )}
      >
        <Heading as="h3" size="3">
          {provider ? `Edit ${provider.name}` : "New provider"}
        </Heading>
        <Grid columns={{ initial: "1", sm: "3" }} gapX="4">
          <TextFormField
            form={form}
            name="name"
            id="provider-name"
            label="Name"
            help="routes refer to the provider by this name"
            placeholder="e.g. openai-main"
          />
          <SelectFormField
            form={form}
            name="kind"
            id="provider-kind"
            label="Kind"
            help={kindInfo?.hint}
            options={PROVIDER_KINDS.map((entry) => ({ value: entry.kind, label: entry.label }))}
          />
          <TextFormField
            empty="absent"
            form={form}
            name="baseUrl"
            id="provider-baseUrl"
            label={needsUrl ? "Base URL" : "Base URL (optional)"}
            help={
              kind === "azure_openai"
                ? "https://<resource>.openai.azure.com"
                : "leave empty for the official API"
            }
            placeholder={kind === "openai_compatible" ? "http://localhost:11434/v1" : ""}
          />
        </Grid>
        {kind === "azure_openai" && (
          <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
            <TextFormField
              empty="absent"
              form={form}
              name="options.apiVersion"
              id="provider-apiVersion"
              label="API version"
              placeholder="2024-10-21"
            />
            <TextFormField
              empty="absent"
              form={form}
              name="options.deployment"
              id="provider-deployment"
              label="Deployment (optional)"
              help="otherwise the route's model names the deployment"
            />
          </Grid>
        )}
        {kind === "huggingface" && (
          <TextFormField
            empty="absent"
            form={form}
            name="options.inferenceProvider"
            id="provider-inferenceProvider"
            label="Inference provider (optional)"
            help="for the Hugging Face router; default auto"
          />
        )}
        <TextFormField
          empty="absent"
          form={form}
          name="apiKey"
          id="provider-apiKey"
          label={provider?.hasApiKey ? "Replace the API key" : "API key"}
          help={
            provider?.hasApiKey
              ? `A key is stored (${provider.keyHint ?? "set"}). Leave empty to keep it.`
              : "Stored encrypted; it is never shown again, not even to you."
          }
          type="password"
          autoComplete="off"
          spellCheck={false}
          disabled={apiKey === null}
          placeholder={provider?.hasApiKey ? "•••••••• (unchanged)" : "sk-…"}
        />
        <Flex direction="column" mt="2">
          {provider?.hasApiKey && (
            <Text
              as="label"
              size="2"
              mt="2"
              style={{ display: "flex", gap: "var(--space-2)", alignItems: "center" }}
            >
              <Checkbox
                checked={apiKey === null}
                // Null removes the stored key; absent keeps it.
                onCheckedChange={(checked) =>
                  form.setValue("apiKey", checked === true ? null : undefined, { shouldValidate: true })
                }
              />
              Remove the stored key
            </Text>
          )}
          <CheckboxField form={form} name="enabled">
            Enabled (routes may use it)
          </CheckboxField>
        </Flex>
        <FormProblems
          error={save.error}
          shown={Object.keys(issuesOf(save.error)).filter((path) => PROVIDER_FIELDS.test(path))}
        />
        <FormActions label="Save provider" pending={save.isPending} onCancel={onDone} />
      </form>
    </Card>
  );
}

/** Providers and their keys: a key is entered once, stored encrypted, and shown only as "…abcd". */
export function ProvidersPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const providers = useQuery(trpc.models.providers.queryOptions());
  const choices = useQuery(trpc.models.choices.queryOptions());
  const [editing, setEditing] = useState<ProviderRow | "new" | null>(null);
  const remove = useDeleteRow(trpc.models.deleteProvider.mutationOptions(), trpc.models.pathKey());
  const builtIn = (choices.data?.providers ?? []).filter((provider) => provider.origin === "environment");
  return (
    <Section
      id="providers"
      title="Providers and keys"
      actions={
        canManage &&
        editing === null && (
          <Button variant="soft" color="gray" type="button" onClick={() => setEditing("new")}>
            <Plus size={14} aria-hidden /> Add provider
          </Button>
        )
      }
    >
      {editing !== null && (
        <ProviderForm
          key={editing === "new" ? "new" : editing.id}
          provider={editing === "new" ? undefined : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <FormError error={providers.error ?? remove.error} />
      <Table.Root variant="surface">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>Name</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Kind</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Endpoint</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Key</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>
              <span className="sr-only">Actions</span>
            </Table.ColumnHeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {providers.data?.map((provider) => (
            <Table.Row key={provider.id} data-testid={`provider-${provider.name}`}>
              <Table.Cell>
                <b>{provider.name}</b>
              </Table.Cell>
              <Table.Cell>{kindLabel(provider.kind)}</Table.Cell>
              <Table.Cell className="muted">
                <span className="truncate">{provider.baseUrl ?? "official API"}</span>
              </Table.Cell>
              <Table.Cell>
                {provider.hasApiKey ? (
                  <Badge color="green" title="stored encrypted; never shown">
                    <KeyRound size={11} aria-hidden />{" "}
                    {provider.keyHint === "set" ? "set" : `set ${provider.keyHint}`}
                  </Badge>
                ) : (
                  <Badge color="gray">no key</Badge>
                )}
              </Table.Cell>
              <Table.Cell>
                {provider.enabled ? (
                  <Badge color="green">enabled</Badge>
                ) : (
                  <Badge color="gray">disabled</Badge>
                )}
              </Table.Cell>
              <Table.Cell className="actions">
                {canManage && (
                  <EditDeleteButtons
                    onEdit={() => setEditing(provider)}
                    onDelete={() => remove.mutate({ providerId: provider.id })}
                    confirm={`Delete provider ${provider.name} and its stored key?`}
                  />
                )}
              </Table.Cell>
            </Table.Row>
          ))}
          {builtIn.map((provider) => (
            <Table.Row key={`env-${provider.name}`} className="muted-row">
              <Table.Cell>{provider.name}</Table.Cell>
              <Table.Cell>{kindLabel(provider.kind)}</Table.Cell>
              <Table.Cell colSpan={3}>
                {provider.kind === "offline"
                  ? "built in: answers when no key is configured or every other model fails"
                  : "from the server's environment variables"}
              </Table.Cell>
              <Table.Cell />
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {providers.data?.length === 0 && (
        <Text as="p" size="2" color="gray" mt="2">
          No providers of this workspace yet: calls use the server's default route
          {builtIn.length === 1 ? ", which is the offline provider" : ""}.
        </Text>
      )}
    </Section>
  );
}
