"use client";
import { Badge, Button, Table } from "@radix-ui/themes";

import { useQuery } from "@tanstack/react-query";
import { KeyRound, Plus } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { useDraftForm } from "../draft-form";
import { Field, FormProblems, InputField } from "../field";
import { FormActions } from "../form-actions";
import { FormError } from "../form-error";
import { SimpleSelect } from "../ui/simple-select";
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

const NAME = /^[A-Za-z0-9_.-]+$/;

interface ProviderDraft {
  name: string;
  kind: Exclude<ProviderKind, "offline">;
  baseUrl: string;
  apiVersion: string;
  deployment: string;
  inferenceProvider: string;
  apiKey: string;
  removeKey: boolean;
  enabled: boolean;
}

function draftOf(provider: ProviderRow | undefined): ProviderDraft {
  return {
    name: provider?.name ?? "",
    kind: provider && provider.kind !== "offline" ? provider.kind : "openai",
    baseUrl: provider?.baseUrl ?? "",
    apiVersion: provider?.options.apiVersion ?? "",
    deployment: provider?.options.deployment ?? "",
    inferenceProvider: provider?.options.inferenceProvider ?? "",
    apiKey: "",
    removeKey: false,
    enabled: provider?.enabled ?? true,
  };
}

/** Problems the browser can see before sending (the server checks again and may add its own). */
function localProblems(draft: ProviderDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.name.trim()) problems.name = "give the provider a name";
  else if (!NAME.test(draft.name.trim()))
    problems.name = "letters, digits, '_', '.' and '-' only (routes refer to it by this name)";
  const needsUrl = draft.kind === "openai_compatible" || draft.kind === "azure_openai";
  if (needsUrl && !draft.baseUrl.trim()) problems.baseUrl = "this kind of provider needs its server's URL";
  if (draft.baseUrl.trim() && !/^https?:\/\/\S+$/.test(draft.baseUrl.trim()))
    problems.baseUrl = "an http(s) URL, e.g. http://localhost:11434/v1";
  if (draft.kind === "azure_openai" && !draft.apiVersion.trim())
    problems["options.apiVersion"] = "Azure needs an API version, e.g. 2024-10-21";
  return problems;
}

/** The save call's input: absent options are left out, and the key is kept, removed or replaced. */
function inputOf(draft: ProviderDraft, provider: ProviderRow | undefined) {
  const options = {
    ...(draft.apiVersion.trim() ? { apiVersion: draft.apiVersion.trim() } : {}),
    ...(draft.deployment.trim() ? { deployment: draft.deployment.trim() } : {}),
    ...(draft.inferenceProvider.trim() ? { inferenceProvider: draft.inferenceProvider.trim() } : {}),
  };
  return {
    ...(provider ? { id: provider.id } : {}),
    name: draft.name.trim(),
    kind: draft.kind,
    ...(draft.baseUrl.trim() ? { baseUrl: draft.baseUrl.trim() } : {}),
    options,
    enabled: draft.enabled,
    // Absent keeps the stored key; null removes it; a value replaces it.
    ...(draft.apiKey ? { apiKey: draft.apiKey } : draft.removeKey ? { apiKey: null } : {}),
  };
}

function ProviderForm({ provider, onDone }: { provider: ProviderRow | undefined; onDone: () => void }) {
  const trpc = useTRPC();
  const { draft, errors, save, set, submit } = useDraftForm({
    initial: () => draftOf(provider),
    problems: localProblems,
    mutation: trpc.models.saveProvider.mutationOptions(),
    invalidates: trpc.models.pathKey(),
    toInput: (draft) => inputOf(draft, provider),
    onSaved: onDone,
  });
  const id = (field: string) => `provider-${field}`;
  const kindInfo = PROVIDER_KINDS.find((entry) => entry.kind === draft.kind);
  return (
    <form
      className="card"
      aria-label={provider ? `Edit provider ${provider.name}` : "New provider"}
      onSubmit={submit}
    >
      <h3 className="form-title">{provider ? `Edit ${provider.name}` : "New provider"}</h3>
      <div className="form-grid">
        <InputField
          id={id("name")}
          label="Name"
          error={errors.name}
          hint="routes refer to the provider by this name"
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
          placeholder="e.g. openai-main"
        />
        <Field id={id("kind")} label="Kind" error={errors.kind} hint={kindInfo?.hint}>
          <SimpleSelect
            id={id("kind")}
            value={draft.kind}
            onValueChange={(value) => set({ kind: value as ProviderDraft["kind"] })}
            options={PROVIDER_KINDS.map((entry) => ({ value: entry.kind, label: entry.label }))}
          />
        </Field>
        <InputField
          id={id("baseUrl")}
          label={
            draft.kind === "openai_compatible" || draft.kind === "azure_openai"
              ? "Base URL"
              : "Base URL (optional)"
          }
          error={errors.baseUrl}
          hint={
            draft.kind === "azure_openai"
              ? "https://<resource>.openai.azure.com"
              : "leave empty for the official API"
          }
          value={draft.baseUrl}
          onChange={(e) => set({ baseUrl: e.target.value })}
          placeholder={draft.kind === "openai_compatible" ? "http://localhost:11434/v1" : ""}
        />
      </div>
      {draft.kind === "azure_openai" && (
        <div className="form-grid">
          <InputField
            id={id("apiVersion")}
            label="API version"
            error={errors["options.apiVersion"]}
            value={draft.apiVersion}
            onChange={(e) => set({ apiVersion: e.target.value })}
            placeholder="2024-10-21"
          />
          <Field
            id={id("deployment")}
            label="Deployment (optional)"
            error={errors["options.deployment"]}
            hint="otherwise the route's model names the deployment"
          >
            <input
              id={id("deployment")}
              value={draft.deployment}
              onChange={(e) => set({ deployment: e.target.value })}
            />
          </Field>
        </div>
      )}
      {draft.kind === "huggingface" && (
        <Field
          id={id("inferenceProvider")}
          label="Inference provider (optional)"
          error={errors["options.inferenceProvider"]}
          hint="for the Hugging Face router; default auto"
        >
          <input
            id={id("inferenceProvider")}
            value={draft.inferenceProvider}
            onChange={(e) => set({ inferenceProvider: e.target.value })}
          />
        </Field>
      )}
      <InputField
        id={id("apiKey")}
        label={provider?.hasApiKey ? "Replace the API key" : "API key"}
        error={errors.apiKey}
        hint={
          provider?.hasApiKey
            ? `A key is stored (${provider.keyHint ?? "set"}). Leave empty to keep it.`
            : "Stored encrypted; it is never shown again, not even to you."
        }
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={draft.apiKey}
        disabled={draft.removeKey}
        onChange={(e) => set({ apiKey: e.target.value })}
        placeholder={provider?.hasApiKey ? "•••••••• (unchanged)" : "sk-…"}
      />
      <div>
        {provider?.hasApiKey && (
          <label className="check">
            <input
              type="checkbox"
              checked={draft.removeKey}
              onChange={(e) => set({ removeKey: e.target.checked, apiKey: "" })}
            />
            Remove the stored key
          </label>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />
          Enabled (routes may use it)
        </label>
      </div>
      <FormProblems
        error={save.error}
        shown={[
          "name",
          "kind",
          "baseUrl",
          "apiKey",
          "options.apiVersion",
          "options.deployment",
          "options.inferenceProvider",
        ]}
      />
      <FormActions label="Save provider" pending={save.isPending} onCancel={onDone} />
    </form>
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
    <section className="section" id="providers" aria-labelledby="providers-title">
      <div className="section-head">
        <h2 id="providers-title">Providers and keys</h2>
        <span className="spacer" />
        {canManage && editing === null && (
          <Button variant="soft" color="gray" type="button" onClick={() => setEditing("new")}>
            <Plus size={14} aria-hidden /> Add provider
          </Button>
        )}
      </div>
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
            <Table.ColumnHeaderCell />
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
        <p className="muted">
          No providers of this workspace yet: calls use the server's default route
          {builtIn.length === 1 ? ", which is the offline provider" : ""}.
        </p>
      )}
    </section>
  );
}
