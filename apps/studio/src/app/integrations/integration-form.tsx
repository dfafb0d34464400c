"use client";

import {
  type IntegrationView,
  integrationConfigSchema,
  integrationCredentialsSchema,
  integrationCredentialTypes,
  integrationMockSchema,
  integrationSettingsSchema,
  updateIntegrationInputSchema,
} from "@parley/contract";
import { Box, Button, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../../components/field";
import { CheckboxField, NumberFormField, SelectFormField } from "../../components/ui/form-controls";
import {
  applyServerErrorsAt,
  TextAreaFormField,
  TextFormField,
  useZodForm,
} from "../../components/ui/form-field";
import { CREDENTIAL_FIELDS, credentialsFrom } from "./credential-fields";

/** A JSON text, read into its value (the mock body). */
const jsonText = (message: string) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text.trim() || "null") as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
  });

/**
 * The integration form, field by field from the contract's schemas (the ones the server checks):
 * `type` "" keeps the stored credentials, "none" removes them; the typed credentials are checked
 * with the contract's credentials schema and their problems shown by their field.
 */
const integrationForm = z
  .object({
    name: updateIntegrationInputSchema.shape.name.unwrap(),
    baseUrl: integrationConfigSchema.shape.baseUrl,
    type: z.enum(["", "none", ...integrationCredentialTypes]),
    credentials: z.record(z.string(), z.string()),
    timeoutMs: integrationSettingsSchema.shape.timeoutMs,
    retries: integrationSettingsSchema.shape.retries,
    mock: z.object({
      enabled: integrationMockSchema.shape.enabled,
      status: integrationMockSchema.shape.status,
      body: jsonText("The mock body must be JSON."),
    }),
  })
  .superRefine((values, ctx) => {
    if (values.type === "" || values.type === "none") return;
    const checked = integrationCredentialsSchema.safeParse(credentialsFrom(values.type, values.credentials));
    for (const issue of checked.error?.issues ?? []) {
      // `scopes.1` is the scopes field; `type` cannot be wrong here.
      const field = issue.path[0];
      if (typeof field === "string" && field !== "type") {
        ctx.addIssue({ code: "custom", path: ["credentials", field], message: issue.message });
      }
    }
  });
type IntegrationFormValues = z.input<typeof integrationForm>;
type CredentialChoice = IntegrationFormValues["type"];

/** The starting values of a type's credential fields: its choices at their first option. */
function credentialDefaults(type: CredentialChoice): Record<string, string> {
  if (type === "" || type === "none") return {};
  return Object.fromEntries(
    CREDENTIAL_FIELDS[type].flatMap((field) => (field.choices ? [[field.name, field.choices[0] ?? ""]] : [])),
  );
}

/** The form field that shows a server problem at `path` (`patch.` of an update stripped). */
function fieldOfPath(path: string) {
  const bare = path.replace(/^patch\./, "");
  if (bare === "name") return "name" as const;
  if (bare === "config.baseUrl" || bare === "config") return "baseUrl" as const;
  if (bare.startsWith("config.settings.timeoutMs")) return "timeoutMs" as const;
  if (bare.startsWith("config.settings.retries")) return "retries" as const;
  if (bare.startsWith("config.settings.mock.status")) return "mock.status" as const;
  const credential = /^credentials\.([A-Za-z]+)/.exec(bare)?.[1];
  return credential && credential !== "type" ? (`credentials.${credential}` as const) : undefined;
}

/**
 * Create or edit an integration: name, base URL, credentials typed per type (on edit, left as
 * they are unless a type is chosen), resilience settings and the test chat's mock response.
 */
export function IntegrationForm({
  existing,
  onDone,
  onCancel,
}: {
  existing?: IntegrationView;
  onDone: (view: { id: string }) => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const settings = existing?.config.settings;
  const form = useZodForm(integrationForm, {
    // Checked on submit, then as fields change (the studio's data forms): a problem appearing on
    // blur would push the submit button away from under the pointer that is clicking it.
    mode: "onSubmit",
    defaultValues: {
      name: existing?.name ?? "",
      baseUrl: existing?.config.baseUrl ?? "",
      type: existing ? "" : "bearer",
      credentials: {},
      timeoutMs: settings?.timeoutMs ?? 10_000,
      retries: settings?.retries ?? 2,
      mock: {
        enabled: settings?.mock?.enabled ?? false,
        status: settings?.mock?.status ?? 200,
        body: JSON.stringify(settings?.mock?.body ?? {}, null, 2),
      },
    },
  });
  const onError = (error: unknown) => applyServerErrorsAt(form, error, fieldOfPath);
  const create = useMutation(trpc.integrations.create.mutationOptions({ onSuccess: onDone, onError }));
  const update = useMutation(trpc.integrations.update.mutationOptions({ onSuccess: onDone, onError }));
  const mutation = existing ? update : create;
  const idPrefix = existing ? `edit-${existing.id}` : "new-integration";
  const type = form.watch("type");

  const submit = form.handleSubmit((values) => {
    const config = {
      baseUrl: values.baseUrl,
      ...(existing ? { headers: existing.config.headers } : {}),
      settings: {
        timeoutMs: values.timeoutMs,
        retries: values.retries,
        ...(settings?.backoff ? { backoff: settings.backoff } : {}),
        ...(settings?.breaker ? { breaker: settings.breaker } : {}),
        mock: values.mock,
      },
    };
    const credentials =
      values.type === ""
        ? undefined
        : values.type === "none"
          ? null
          : credentialsFrom(values.type, values.credentials);
    if (existing) {
      update.mutate({
        integrationId: existing.id,
        patch: {
          name: values.name,
          config,
          ...(credentials === undefined ? {} : { credentials: credentials as never }),
        },
      });
    } else {
      create.mutate({
        name: values.name,
        config,
        ...(credentials ? { credentials: credentials as never } : {}),
      });
    }
  });

  return (
    <Card size="2" my="4" asChild>
      <form aria-label={existing ? `Edit ${existing.name}` : "New integration"} onSubmit={submit} noValidate>
        <Heading as="h2" size="4">
          {existing ? `Edit ${existing.name}` : "New integration"}
        </Heading>
        <Grid columns={{ initial: "1", sm: "3" }} gapX="4">
          <TextFormField form={form} name="name" id={`${idPrefix}-name`} label="Name" />
          <TextFormField
            form={form}
            name="baseUrl"
            id={`${idPrefix}-base-url`}
            label="Base URL"
            placeholder="https://api.example.com/v1"
          />
          <SelectFormField
            form={form}
            name="type"
            id={`${idPrefix}-type`}
            label="Credentials"
            onPicked={(next) => {
              form.setValue("credentials", credentialDefaults(next as CredentialChoice));
              form.clearErrors("credentials");
            }}
            options={[
              ...(existing
                ? [{ value: "", label: `keep as they are (${existing.credentials?.type ?? "none"})` }]
                : []),
              "none",
              ...integrationCredentialTypes,
            ]}
          />
        </Grid>
        {type !== "" && type !== "none" && (
          <Grid columns={{ initial: "1", sm: "3" }} gapX="4" data-testid="credential-fields">
            {CREDENTIAL_FIELDS[type].map((field) =>
              field.choices ? (
                <SelectFormField
                  key={`${type}-${field.name}`}
                  form={form}
                  name={`credentials.${field.name}`}
                  id={`${idPrefix}-cred-${field.name}`}
                  label={field.label}
                  options={field.choices}
                />
              ) : (
                <TextFormField
                  key={`${type}-${field.name}`}
                  form={form}
                  name={`credentials.${field.name}`}
                  id={`${idPrefix}-cred-${field.name}`}
                  label={`${field.label}${field.optional ? " (optional)" : ""}`}
                  help={field.hint}
                  type={field.secret ? "password" : "text"}
                  autoComplete="off"
                />
              ),
            )}
          </Grid>
        )}
        <Box asChild mt="3">
          <details>
            <Text as="span" size="2" weight="medium" asChild>
              <summary>Resilience and mock response</summary>
            </Text>
            <Grid columns={{ initial: "1", sm: "3" }} gapX="4">
              <NumberFormField
                form={form}
                name="timeoutMs"
                id={`${idPrefix}-timeout`}
                label="Time limit per attempt (ms)"
              />
              <NumberFormField
                form={form}
                name="retries"
                id={`${idPrefix}-retries`}
                label="Retries"
                help="GET/PUT/DELETE, and 429/503 on any method"
              />
              <NumberFormField
                form={form}
                name="mock.status"
                id={`${idPrefix}-mock-status`}
                label="Mock status"
              />
            </Grid>
            <CheckboxField form={form} name="mock.enabled">
              Answer the test chat with a mock
            </CheckboxField>
            <TextAreaFormField
              form={form}
              name="mock.body"
              id={`${idPrefix}-mock-body`}
              label="Mock body (JSON)"
              rows={3}
              style={{ fontFamily: "var(--code-font-family)" }}
            />
          </details>
        </Box>
        <FormProblems
          error={mutation.error}
          shown={Object.keys(issuesOf(mutation.error)).filter((path) => fieldOfPath(path) !== undefined)}
        />
        <Flex gap="3" mt="4">
          <Button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? "Saving…" : existing ? "Save integration" : "Create integration"}
          </Button>
          {onCancel && (
            <Button type="button" variant="soft" color="gray" onClick={onCancel}>
              Cancel
            </Button>
          )}
        </Flex>
      </form>
    </Card>
  );
}
