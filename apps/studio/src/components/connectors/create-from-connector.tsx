"use client";

import type { ConnectorView } from "@parley/contract";
import { Button } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { InputField, issuesOf } from "../field";
import { FormError } from "../form-error";
import { SimpleSelect } from "../ui/simple-select";
import { credentialFields, credentialsOf } from "./credential-fields";

/**
 * The "Use" form: an integration from a connector. Settings fields, credentials for the chosen auth
 * type (the connector's fixed fields prefilled), and the server's field errors inline.
 */
export function CreateFromConnector({
  connector,
  onCreated,
  onCancel,
}: {
  connector: ConnectorView;
  onCreated: (name: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const types = [connector.auth.type, ...connector.auth.alternatives];
  const [name, setName] = useState(connector.id);
  const [type, setType] = useState<string>(connector.auth.optional ? "" : connector.auth.type);
  const [settings, setSettings] = useState<Record<string, string>>(
    Object.fromEntries(connector.settings.map((setting) => [setting.name, setting.default ?? ""])),
  );
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [baseUrl, setBaseUrl] = useState("");
  // The connector fills its fixed fields (Shopify's header name): only the user's own are asked for.
  const fixed = type === connector.auth.type ? connector.auth.fixed : {};
  const create = useMutation(
    trpc.connectors.createIntegration.mutationOptions({ onSuccess: (view) => onCreated(view.name) }),
  );
  const errors = issuesOf(create.error);
  const id = (field: string) => `connector-${connector.id}-${field}`;
  return (
    <form
      className="card"
      aria-label={`Create an integration from ${connector.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        const filled = Object.fromEntries(
          Object.entries(settings).filter(([, value]) => value.trim() !== ""),
        );
        create.mutate({
          name,
          connector: connector.id,
          ...(Object.keys(filled).length > 0 ? { settings: filled } : {}),
          ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
          ...(type ? { credentials: credentialsOf(type, secrets) as never } : {}),
        });
      }}
    >
      <h2 style={{ marginTop: 0 }}>New {connector.name} integration</h2>
      {connector.auth.help && <p className="muted">{connector.auth.help}</p>}
      <InputField
        id={id("name")}
        label="Integration name"
        hint="http nodes refer to it by this name"
        error={errors.name}
        value={name}
        onChange={(event) => setName(event.target.value)}
        required
      />
      {connector.settings.map((setting) => (
        <InputField
          key={setting.name}
          id={id(`setting-${setting.name}`)}
          label={setting.label}
          hint={setting.help}
          error={errors[`settings.${setting.name}`]}
          value={settings[setting.name] ?? ""}
          onChange={(event) => setSettings({ ...settings, [setting.name]: event.target.value })}
        />
      ))}
      <InputField
        id={id("base-url")}
        label="Base URL (optional)"
        hint={`Leave empty for ${connector.baseUrl}; set it for a vendor sandbox or a proxy`}
        error={errors.baseUrl}
        type="url"
        value={baseUrl}
        onChange={(event) => setBaseUrl(event.target.value)}
      />
      <label htmlFor={id("auth-type")}>Authentication</label>
      <SimpleSelect
        id={id("auth-type")}
        value={type}
        onValueChange={setType}
        options={[...(connector.auth.optional ? [{ value: "", label: "none" }] : []), ...types]}
        aria-invalid={errors["credentials.type"] || errors.credentials ? true : undefined}
      />
      {(errors["credentials.type"] ?? errors.credentials) && (
        <div className="field-error" role="alert">
          {errors["credentials.type"] ?? errors.credentials}
        </div>
      )}
      {Object.keys(fixed).length > 0 && (
        <p className="muted" data-testid="connector-fixed">
          Set by {connector.name}:{" "}
          {Object.entries(fixed)
            .map(([field, value]) => `${field} ${value}`)
            .join(", ")}
        </p>
      )}
      {(credentialFields[type] ?? [])
        .filter((field) => !(field.name in fixed))
        .map((field) => (
          <InputField
            key={`${type}-${field.name}`}
            id={id(`credential-${field.name}`)}
            label={field.label}
            hint={field.hint}
            error={errors[`credentials.${field.name}`]}
            type={field.secret ? "password" : "text"}
            autoComplete="off"
            value={secrets[field.name] ?? ""}
            onChange={(event) => setSecrets({ ...secrets, [field.name]: event.target.value })}
          />
        ))}
      <FormError error={Object.keys(errors).length > 0 ? null : create.error} />
      <p className="row">
        <Button type="submit" disabled={create.isPending}>
          Create integration
        </Button>
        <Button variant="soft" color="gray" type="button" onClick={onCancel}>
          Cancel
        </Button>
      </p>
    </form>
  );
}
