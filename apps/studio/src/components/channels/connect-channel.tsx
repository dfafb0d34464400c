"use client";

import {
  type ChannelType,
  channelTypeSchema,
  createChannelInputSchema,
  messengerCredentialsSchema,
  messengerSettingsSchema,
  slackCredentialsSchema,
  slackSettingsSchema,
  teamsCredentialsSchema,
  teamsSettingsSchema,
  telegramCredentialsSchema,
  telegramSettingsSchema,
  whatsappCredentialsSchema,
  whatsappSettingsSchema,
} from "@parley/contract";
import { Box, Button, Card, Flex, Heading, Text, TextField } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../field";
import { SelectFormField } from "../ui/form-controls";
import { applyServerErrors, FormField, useZodForm } from "../ui/form-field";
import { CopyButton } from "./copy-button";
import { channelPartsOf, initialValuesOf, platformGuides } from "./platform-fields";

const guideOf = (type: ChannelType) =>
  platformGuides.find((candidate) => candidate.type === type) ?? platformGuides[0]!;

/** Each platform's own credentials and settings schemas (the ones its channel adapter checks). */
const PLATFORM_SCHEMAS: Record<ChannelType, { credentials: z.ZodType; settings: z.ZodType }> = {
  slack: { credentials: slackCredentialsSchema, settings: slackSettingsSchema },
  telegram: { credentials: telegramCredentialsSchema, settings: telegramSettingsSchema },
  whatsapp: { credentials: whatsappCredentialsSchema, settings: whatsappSettingsSchema },
  messenger: { credentials: messengerCredentialsSchema, settings: messengerSettingsSchema },
  teams: { credentials: teamsCredentialsSchema, settings: teamsSettingsSchema },
};

/**
 * The connect form: the platform, an optional name (the contract's), and the platform's fields by
 * their API path (`credentials.botToken`), checked with the platform's schemas, so a wrong token
 * shows next to its field before anything is sent.
 */
const connectForm = z
  .object({
    type: channelTypeSchema,
    name: z
      .string()
      .transform((name) => name.trim())
      .pipe(z.union([z.literal(""), createChannelInputSchema.shape.name.unwrap()])),
    credentials: z.record(z.string(), z.string()),
    settings: z.record(z.string(), z.string()),
  })
  .superRefine((values, ctx) => {
    // Checked as sent, but with a required field left empty kept as "" (its schema then says what
    // is missing, rather than "expected string").
    const parts = partsOf(values);
    for (const field of guideOf(values.type).fields) {
      const [part, name] = field.path.split(".") as ["credentials" | "settings", string];
      if (!field.optional && !(name in parts[part])) parts[part][name] = "";
    }
    const schemas = PLATFORM_SCHEMAS[values.type];
    for (const part of ["credentials", "settings"] as const) {
      for (const issue of schemas[part].safeParse(parts[part]).error?.issues ?? []) {
        const field = issue.path[0];
        ctx.addIssue({
          code: "custom",
          path: typeof field === "string" ? [part, field] : [part],
          message: issue.message,
        });
      }
    }
  });
type ConnectValues = z.input<typeof connectForm>;

/** The API's `credentials` and `settings` of the form's values (empty optional fields left out). */
function partsOf(values: { credentials: Record<string, string>; settings: Record<string, string> }) {
  return channelPartsOf({
    ...Object.fromEntries(Object.entries(values.credentials).map(([k, v]) => [`credentials.${k}`, v])),
    ...Object.fromEntries(Object.entries(values.settings).map(([k, v]) => [`settings.${k}`, v])),
  });
}

/** The form's values for a platform: its generated fields proposed, the rest empty. */
function valuesOf(type: ChannelType): ConnectValues {
  const credentials: Record<string, string> = {};
  const settings: Record<string, string> = {};
  const initial = initialValuesOf(guideOf(type));
  for (const field of guideOf(type).fields) {
    const [part, name] = field.path.split(".") as ["credentials" | "settings", string];
    (part === "credentials" ? credentials : settings)[name] = initial[field.path] ?? "";
  }
  return { type, name: "", credentials, settings };
}

/** The connect wizard: pick a platform, follow its steps, fill its fields (each with help), connect. */
export function ConnectChannel({
  botId,
  onConnected,
}: {
  botId: string;
  onConnected: (id: string) => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const form = useZodForm(connectForm, {
    mode: "onSubmit",
    defaultValues: { type: "slack", name: "", credentials: {}, settings: {} },
  });
  const type = form.watch("type");
  const guide = guideOf(type);
  const fields = ["name", ...guide.fields.map((field) => field.path)] as const;
  // Generated values (a verify token) are proposed after the first render, never during SSR.
  useEffect(() => {
    form.reset(valuesOf(form.getValues("type")));
  }, [form]);
  const create = useMutation(
    trpc.channels.create.mutationOptions({
      onError: (error) => applyServerErrors(form, error, fields as never),
    }),
  );
  return (
    <Card size="3" mt="5" asChild>
      <form
        aria-label="Connect a channel"
        noValidate
        onSubmit={form.handleSubmit(async (values) => {
          const created = await create
            .mutateAsync({
              botId,
              type: values.type,
              ...(values.name ? { name: values.name } : {}),
              ...partsOf(values),
            })
            .catch(() => undefined);
          if (!created) return;
          form.reset(valuesOf(values.type));
          await onConnected(created.id);
        })}
      >
        <Heading as="h2" size="4">
          Connect a channel
        </Heading>
        <SelectFormField
          form={form}
          name="type"
          id="channel-type"
          label="Platform"
          options={platformGuides.map((candidate) => ({ value: candidate.type, label: candidate.label }))}
          onPicked={(next) => {
            form.reset(valuesOf(next as ChannelType));
            create.reset();
          }}
        />
        <Box asChild mt="3" pl="5">
          <Text as="div" size="2" color="gray">
            <ol data-testid="connect-steps" style={{ margin: 0, paddingLeft: 0 }}>
              {guide.steps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </Text>
        </Box>
        <FormField
          form={form}
          name="name"
          id="channel-name"
          label="Name (optional)"
          help="Shown in the studio only."
        >
          {({ value, onChange, ref, ...control }) => (
            <TextField.Root
              {...control}
              ref={ref as never}
              value={(value as string | undefined) ?? ""}
              onChange={(event) => onChange(event.target.value)}
            />
          )}
        </FormField>
        {guide.fields.map((field) => (
          <FormField
            key={`${type}-${field.path}`}
            form={form}
            name={field.path as `credentials.${string}`}
            id={`channel-${field.path.replace(".", "-")}`}
            label={`${field.label}${field.optional ? " (optional)" : ""}`}
            help={field.help}
          >
            {({ value, onChange, ref, ...control }) => {
              const input = (
                <TextField.Root
                  {...control}
                  ref={ref as never}
                  type={field.secret ? "password" : "text"}
                  autoComplete="off"
                  placeholder={field.placeholder}
                  value={(value as string | undefined) ?? ""}
                  onChange={(event) => onChange(event.target.value)}
                  style={field.generated ? { flexGrow: 1, fontFamily: "var(--code-font-family)" } : undefined}
                />
              );
              return field.generated ? (
                <Flex gap="2" align="center">
                  {input}
                  <CopyButton text={String(value ?? "")} label={`Copy ${field.label.toLowerCase()}`} />
                </Flex>
              ) : (
                input
              );
            }}
          </FormField>
        ))}
        <FormProblems error={create.error} shown={fields} />
        <Flex mt="4">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Connecting…" : `Connect ${guide.label}`}
          </Button>
        </Flex>
      </form>
    </Card>
  );
}
