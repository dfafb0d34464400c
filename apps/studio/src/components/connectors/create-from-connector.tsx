"use client";

import { type ConnectorView, createIntegrationRequestSchema } from "@parley/contract";
import { Button, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { SelectFormField } from "../ui/form-controls";
import { applyServerErrorsAt, TextFormField, useZodForm } from "../ui/form-field";
import { credentialFields, credentialsOf } from "./credential-fields";

/**
 * The "Use" form's values, field by field from the contract's create request (the settings, name
 * and base URL rules); the credentials are the connector's partial ones, checked in full by the
 * server once the connector's fixed fields are filled in (its problems come back by field).
 */
const connectorForm = z.object({
  name: createIntegrationRequestSchema.shape.name,
  settings: createIntegrationRequestSchema.shape.settings.unwrap(),
  baseUrl: z
    .string()
    .transform((url) => url.trim())
    .pipe(z.union([z.literal(""), createIntegrationRequestSchema.shape.baseUrl.unwrap()])),
  type: z.string(),
  credentials: z.record(z.string(), z.string()),
});

/** The form field showing a server problem at `path`. */
function fieldOfPath(path: string) {
  if (path === "name" || path === "baseUrl") return path;
  if (path === "credentials" || path === "credentials.type") return "type" as const;
  const [part, name] = path.split(".");
  return (part === "settings" || part === "credentials") && name ? (`${part}.${name}` as const) : undefined;
}

/**
 * The "Use" form: an integration from a connector. Settings fields, credentials for the chosen auth
 * type (the connector's fixed fields prefilled), and problems inline by field.
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
  const form = useZodForm(connectorForm, {
    mode: "onSubmit",
    defaultValues: {
      name: connector.id,
      settings: Object.fromEntries(
        connector.settings.map((setting) => [setting.name, setting.default ?? ""]),
      ),
      baseUrl: "",
      type: connector.auth.optional ? "" : connector.auth.type,
      credentials: {},
    },
  });
  const type = form.watch("type");
  // The connector fills its fixed fields (Shopify's header name): only the user's own are asked for.
  const fixed = type === connector.auth.type ? connector.auth.fixed : {};
  const create = useMutation(
    trpc.connectors.createIntegration.mutationOptions({
      onSuccess: (view) => onCreated(view.name),
      onError: (error) => applyServerErrorsAt(form, error, fieldOfPath),
    }),
  );
  const id = (field: string) => `connector-${connector.id}-${field}`;
  return (
    <Card size="3" my="4" asChild>
      <form
        aria-label={`Create an integration from ${connector.name}`}
        noValidate
        onSubmit={form.handleSubmit((values) => {
          const filled = Object.fromEntries(
            Object.entries(values.settings).filter(([, value]) => value.trim() !== ""),
          );
          create.mutate({
            name: values.name,
            connector: connector.id,
            ...(Object.keys(filled).length > 0 ? { settings: filled } : {}),
            ...(values.baseUrl ? { baseUrl: values.baseUrl } : {}),
            ...(values.type ? { credentials: credentialsOf(values.type, values.credentials) as never } : {}),
          });
        })}
      >
        <Heading as="h2" size="4">
          New {connector.name} integration
        </Heading>
        {connector.auth.help && (
          <Text as="p" size="2" color="gray" mt="1">
            {connector.auth.help}
          </Text>
        )}
        <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
          <TextFormField
            form={form}
            name="name"
            id={id("name")}
            label="Integration name"
            help="http nodes refer to it by this name"
          />
          {connector.settings.map((setting) => (
            <TextFormField
              key={setting.name}
              form={form}
              name={`settings.${setting.name}`}
              id={id(`setting-${setting.name}`)}
              label={setting.label}
              help={setting.help}
            />
          ))}
          <TextFormField
            form={form}
            name="baseUrl"
            id={id("base-url")}
            label="Base URL (optional)"
            help={`Leave empty for ${connector.baseUrl}; set it for a vendor sandbox or a proxy`}
            type="url"
          />
          <SelectFormField
            form={form}
            name="type"
            id={id("auth-type")}
            label="Authentication"
            options={[...(connector.auth.optional ? [{ value: "", label: "none" }] : []), ...types]}
            onPicked={() => form.setValue("credentials", {})}
          />
        </Grid>
        {Object.keys(fixed).length > 0 && (
          <Text as="p" size="2" color="gray" mt="3" data-testid="connector-fixed">
            Set by {connector.name}:{" "}
            {Object.entries(fixed)
              .map(([field, value]) => `${field} ${value}`)
              .join(", ")}
          </Text>
        )}
        <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
          {(credentialFields[type] ?? [])
            .filter((field) => !(field.name in fixed))
            .map((field) => (
              <TextFormField
                key={`${type}-${field.name}`}
                form={form}
                name={`credentials.${field.name}`}
                id={id(`credential-${field.name}`)}
                label={field.label}
                help={field.hint}
                type={field.secret ? "password" : "text"}
                autoComplete="off"
              />
            ))}
        </Grid>
        <FormProblems
          error={create.error}
          shown={Object.keys(issuesOf(create.error)).filter((path) => fieldOfPath(path) !== undefined)}
        />
        <Flex gap="3" mt="4">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create integration"}
          </Button>
          <Button variant="soft" color="gray" type="button" onClick={onCancel}>
            Cancel
          </Button>
        </Flex>
      </form>
    </Card>
  );
}
