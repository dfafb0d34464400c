"use client";

import {
  type IntegrationCredentialType,
  type IntegrationView,
  integrationCredentialTypes,
} from "@parley/contract";
import { Button } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, InputField, invalidProps, issuesOf } from "../../components/field";
import { SimpleSelect } from "../../components/ui/simple-select";
import { CREDENTIAL_FIELDS, credentialsFrom } from "./credential-fields";

/**
 * Create or edit an integration: name, base URL, credentials typed per type (on edit, left as
 * they are unless a type is chosen), resilience settings and the test chat's mock response.
 */
export function IntegrationForm({
  existing,
  onDone,
}: {
  existing?: IntegrationView;
  onDone: (view: { id: string }) => void;
}) {
  const trpc = useTRPC();
  const settings = existing?.config.settings;
  const [name, setName] = useState(existing?.name ?? "");
  const [baseUrl, setBaseUrl] = useState(existing?.config.baseUrl ?? "");
  const [type, setType] = useState<IntegrationCredentialType | "" | "none">(existing ? "" : "bearer");
  const [values, setValues] = useState<Record<string, string>>({});
  const [timeoutMs, setTimeoutMs] = useState(String(settings?.timeoutMs ?? 10_000));
  const [retries, setRetries] = useState(String(settings?.retries ?? 2));
  const [mockEnabled, setMockEnabled] = useState(settings?.mock?.enabled ?? false);
  const [mockStatus, setMockStatus] = useState(String(settings?.mock?.status ?? 200));
  const [mockBody, setMockBody] = useState(JSON.stringify(settings?.mock?.body ?? {}, null, 2));
  const [mockError, setMockError] = useState<string | undefined>();
  const create = useMutation(trpc.integrations.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.integrations.update.mutationOptions({ onSuccess: onDone }));
  const mutation = existing ? update : create;
  const errors = issuesOf(mutation.error);
  const prefix = existing ? "patch." : "";
  const errorOf = (path: string) => errors[`${prefix}${path}`];
  const idPrefix = existing ? `edit-${existing.id}` : "new-integration";

  function submit() {
    let body: unknown;
    try {
      body = JSON.parse(mockBody || "null");
      setMockError(undefined);
    } catch {
      setMockError("The mock body must be JSON.");
      return;
    }
    const config = {
      baseUrl,
      ...(existing ? { headers: existing.config.headers } : {}),
      settings: {
        timeoutMs: Number(timeoutMs),
        retries: Number(retries),
        ...(existing?.config.settings?.backoff ? { backoff: existing.config.settings.backoff } : {}),
        ...(existing?.config.settings?.breaker ? { breaker: existing.config.settings.breaker } : {}),
        mock: { enabled: mockEnabled, status: Number(mockStatus), body },
      },
    };
    const credentials = type === "" ? undefined : type === "none" ? null : credentialsFrom(type, values);
    if (existing) {
      update.mutate({
        integrationId: existing.id,
        patch: { name, config, ...(credentials === undefined ? {} : { credentials: credentials as never }) },
      });
    } else {
      create.mutate({ name, config, ...(credentials ? { credentials: credentials as never } : {}) });
    }
  }

  return (
    <form
      className="card"
      aria-label={existing ? `Edit ${existing.name}` : "New integration"}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="row wrap" style={{ alignItems: "flex-start" }}>
        <InputField
          id={`${idPrefix}-name`}
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errorOf("name")}
          required
        />
        <InputField
          id={`${idPrefix}-base-url`}
          label="Base URL"
          placeholder="https://api.example.com/v1"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          error={errorOf("config.baseUrl")}
          required
        />
        <Field id={`${idPrefix}-type`} label="Credentials">
          <SimpleSelect
            id={`${idPrefix}-type`}
            value={type}
            onValueChange={(value) => setType(value as typeof type)}
            options={[
              ...(existing
                ? [{ value: "", label: `keep as they are (${existing.credentials?.type ?? "none"})` }]
                : []),
              "none",
              ...integrationCredentialTypes,
            ]}
          />
        </Field>
      </div>
      {type !== "" && type !== "none" && (
        <div className="row wrap" style={{ alignItems: "flex-start" }}>
          {CREDENTIAL_FIELDS[type].map((field) => {
            const id = `${idPrefix}-cred-${field.name}`;
            const error = errorOf(`credentials.${field.name}`);
            return field.choices ? (
              <Field key={field.name} id={id} label={field.label} error={error}>
                <SimpleSelect
                  id={id}
                  value={values[field.name] ?? field.choices[0] ?? ""}
                  onValueChange={(value) => setValues({ ...values, [field.name]: value })}
                  options={field.choices}
                />
              </Field>
            ) : (
              <InputField
                key={field.name}
                id={id}
                label={field.label}
                type={field.secret ? "password" : "text"}
                autoComplete="off"
                value={values[field.name] ?? ""}
                onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
                error={error}
                hint={field.hint}
                required={!field.optional}
              />
            );
          })}
        </div>
      )}
      <details>
        <summary>Resilience and mock response</summary>
        <div className="row wrap" style={{ alignItems: "flex-start" }}>
          <InputField
            id={`${idPrefix}-timeout`}
            label="Time limit per attempt (ms)"
            type="number"
            value={timeoutMs}
            onChange={(e) => setTimeoutMs(e.target.value)}
            error={errorOf("config.settings.timeoutMs")}
          />
          <InputField
            id={`${idPrefix}-retries`}
            label="Retries"
            type="number"
            value={retries}
            onChange={(e) => setRetries(e.target.value)}
            error={errorOf("config.settings.retries")}
            hint="GET/PUT/DELETE, and 429/503 on any method"
          />
          <label className="row" style={{ fontWeight: 400 }}>
            <input type="checkbox" checked={mockEnabled} onChange={(e) => setMockEnabled(e.target.checked)} />
            Answer the test chat with a mock
          </label>
          <InputField
            id={`${idPrefix}-mock-status`}
            label="Mock status"
            type="number"
            value={mockStatus}
            onChange={(e) => setMockStatus(e.target.value)}
            error={errorOf("config.settings.mock.status")}
          />
          <Field id={`${idPrefix}-mock-body`} label="Mock body (JSON)" error={mockError}>
            <textarea
              id={`${idPrefix}-mock-body`}
              rows={3}
              value={mockBody}
              onChange={(e) => setMockBody(e.target.value)}
              {...invalidProps(`${idPrefix}-mock-body`, mockError)}
            />
          </Field>
        </div>
      </details>
      <FormProblems
        error={mutation.error}
        shown={Object.keys(errors).filter((path) => /name|baseUrl|credentials\.|settings\./.test(path))}
      />
      <Button type="submit" disabled={mutation.isPending}>
        {existing ? "Save integration" : "Create integration"}
      </Button>
    </form>
  );
}
