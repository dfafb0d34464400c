"use client";

import { type ChannelView, whatsappTemplateSendInputSchema } from "@parley/contract";
import { Box, Button, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId } from "react";
import { useFieldArray } from "react-hook-form";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../field";
import { ComboboxFormField } from "../ui/form-controls";
import { applyServerErrorsAt, TextFormField, useZodForm } from "../ui/form-field";

/** Language codes WhatsApp templates are most often approved in (any other code may be typed). */
const COMMON_LANGUAGES = ["en", "en_US", "en_GB", "es", "es_MX", "pt_BR", "fr", "de", "it", "nl", "ar", "hi"];

/**
 * The Cloud API `components` for body parameters `{{1}}`, `{{2}}`…, in order (internal). Empty
 * when the template has none; blank rows are left out.
 */
export function bodyComponents(parameters: readonly string[]) {
  const filled = parameters.map((value) => value.trim()).filter((value) => value !== "");
  return filled.length === 0
    ? []
    : [{ type: "body", parameters: filled.map((text) => ({ type: "text", text })) }];
}

/** The template form: the contract's recipient, name and language, and the body's parameters in order. */
const templateForm = z.object({
  to: whatsappTemplateSendInputSchema.shape.to,
  name: whatsappTemplateSendInputSchema.shape.name,
  language: whatsappTemplateSendInputSchema.shape.language,
  parameters: z.array(z.object({ value: z.string() })),
});

/**
 * Sends an approved WhatsApp message template (the only message WhatsApp delivers outside the
 * 24-hour customer-service window): template name, language, the body's parameters in order, and
 * the recipient's phone number. Meta's verdict shows at once; problems are shown by their field.
 */
export function WhatsAppTemplateForm({ channel }: { channel: ChannelView }) {
  const trpc = useTRPC();
  const base = useId();
  const form = useZodForm(templateForm, {
    mode: "onSubmit",
    defaultValues: { to: "", name: "", language: "en_US", parameters: [{ value: "" }] },
  });
  const parameters = useFieldArray({ control: form.control, name: "parameters" });
  const send = useMutation(
    trpc.whatsapp.sendTemplate.mutationOptions({
      onError: (error) =>
        applyServerErrorsAt(form, error, (path) => {
          const field = path.replace(/^template\./, "");
          return field === "to" || field === "name" || field === "language" ? field : undefined;
        }),
    }),
  );
  // The contact picker: contacts whose name, number or e-mail match what is typed, with their
  // WhatsApp numbers as the choices (any other number may still be typed).
  const search = useDeferredValue((form.watch("to") ?? "").trim());
  const contacts = useQuery({
    ...trpc.contacts.list.queryOptions({ ...(search ? { q: search } : {}), limit: 20 }),
    placeholderData: (previous) => previous,
  });
  const choices = (contacts.data?.items ?? []).flatMap((contact) =>
    contact.identities
      .filter((identity) => identity.channel === "whatsapp")
      .map((identity) => ({
        number: identity.externalId,
        label: contact.name ?? contact.phone ?? identity.externalId,
      })),
  );
  return (
    <Card size="2" mt="4" asChild>
      <form
        aria-label={`Send a WhatsApp template through ${channel.name}`}
        noValidate
        onSubmit={form.handleSubmit((values) => {
          const components = bodyComponents(values.parameters.map((parameter) => parameter.value));
          send.mutate({
            channelId: channel.id,
            template: {
              to: values.to,
              name: values.name,
              language: values.language,
              ...(components.length > 0 ? { components } : {}),
            },
          });
        })}
      >
        <Heading as="h4" size="3">
          Send a template message
        </Heading>
        <Text as="p" size="2" color="gray" mt="1">
          Outside the 24-hour window after a customer's last message, WhatsApp delivers only templates Meta
          has approved. Use one to re-open a conversation or send a reminder.
        </Text>
        <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
          <TextFormField
            form={form}
            name="name"
            id={`${base}-name`}
            label="Template name"
            help="As approved in WhatsApp Manager."
            placeholder="order_update"
          />
          <ComboboxFormField
            form={form}
            name="language"
            id={`${base}-language`}
            label="Language"
            help="The template's language code."
            suggestions={COMMON_LANGUAGES}
            listLabel="Languages"
          />
        </Grid>
        <Box asChild mt="3" p="0" style={{ border: 0 }}>
          <fieldset>
            <Text as="div" size="2" weight="medium" asChild>
              <legend>Body parameters</legend>
            </Text>
            {parameters.fields.map((parameter, index) => (
              <Flex gap="2" align="end" key={parameter.id}>
                <Box flexGrow="1">
                  <TextFormField
                    form={form}
                    name={`parameters.${index}.value`}
                    id={`${base}-param-${index}`}
                    label={`{{${index + 1}}}`}
                  />
                </Box>
                {parameters.fields.length > 1 && (
                  <Button
                    size="2"
                    variant="soft"
                    color="gray"
                    type="button"
                    aria-label={`Remove parameter ${index + 1}`}
                    onClick={() => parameters.remove(index)}
                  >
                    Remove
                  </Button>
                )}
              </Flex>
            ))}
            <Button
              mt="2"
              size="1"
              variant="soft"
              color="gray"
              type="button"
              onClick={() => parameters.append({ value: "" })}
            >
              Add parameter
            </Button>
          </fieldset>
        </Box>
        <ComboboxFormField
          form={form}
          name="to"
          id={`${base}-to`}
          label="Send to"
          help="Pick a contact (type a name or number), or type a WhatsApp number in international format (15551234567)."
          inputMode="tel"
          // The server already searched the contacts for the typed text (name, number or e-mail).
          filter={false}
          listLabel="Contacts"
          data-testid="template-contacts"
          suggestions={choices.map((choice) => ({
            value: choice.number,
            label: `${choice.label} (+${choice.number})`,
          }))}
        />
        <FormProblems
          error={send.error}
          shown={["to", "name", "language", "template.to", "template.name", "template.language"]}
        />
        <Flex mt="3" gap="3" align="center">
          <Button variant="soft" color="gray" type="submit" disabled={send.isPending}>
            {send.isPending ? "Sending…" : "Send template"}
          </Button>
          {send.data && (
            <Text as="p" role="status" size="2" color="gray" data-testid="template-result">
              Sent to {send.data.to} (message {send.data.messageId}).
            </Text>
          )}
        </Flex>
      </form>
    </Card>
  );
}
