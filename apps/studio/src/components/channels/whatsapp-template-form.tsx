"use client";

import type { ChannelView } from "@parley/contract";
import { Button, Flex } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, invalidProps, issuesOf } from "../field";

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

/**
 * Sends an approved WhatsApp message template (the only message WhatsApp delivers outside the
 * 24-hour customer-service window): template name, language, the body's parameters in order, and
 * the recipient's phone number. Meta's verdict shows at once; problems are shown by their field.
 */
export function WhatsAppTemplateForm({ channel }: { channel: ChannelView }) {
  const trpc = useTRPC();
  const send = useMutation(trpc.whatsapp.sendTemplate.mutationOptions());
  const base = useId();
  const [to, setTo] = useState("");
  const [name, setName] = useState("");
  const [language, setLanguage] = useState("en_US");
  const [parameters, setParameters] = useState<string[]>([""]);
  const issues = issuesOf(send.error);
  const errorOf = (field: string) => issues[`template.${field}`] ?? issues[field];
  const ids = { to: `${base}-to`, name: `${base}-name`, language: `${base}-language` };
  return (
    <form
      className="section whatsapp-template"
      aria-label={`Send a WhatsApp template through ${channel.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        const components = bodyComponents(parameters);
        send.mutate({
          channelId: channel.id,
          template: { to, name, language, ...(components.length > 0 ? { components } : {}) },
        });
      }}
    >
      <h4>Send a template message</h4>
      <p className="muted">
        Outside the 24-hour window after a customer's last message, WhatsApp delivers only templates Meta has
        approved. Use one to re-open a conversation or send a reminder.
      </p>
      <Field
        id={ids.name}
        label="Template name"
        error={errorOf("name")}
        hint="As approved in WhatsApp Manager."
      >
        <input
          id={ids.name}
          value={name}
          placeholder="order_update"
          onChange={(event) => setName(event.target.value)}
          {...invalidProps(ids.name, errorOf("name"))}
        />
      </Field>
      <Field
        id={ids.language}
        label="Language"
        error={errorOf("language")}
        hint="The template's language code."
      >
        <input
          id={ids.language}
          list={`${base}-languages`}
          value={language}
          onChange={(event) => setLanguage(event.target.value)}
          {...invalidProps(ids.language, errorOf("language"))}
        />
      </Field>
      <datalist id={`${base}-languages`}>
        {COMMON_LANGUAGES.map((code) => (
          <option key={code} value={code} />
        ))}
      </datalist>
      <fieldset className="plain-fieldset">
        <legend>Body parameters</legend>
        {parameters.map((value, index) => {
          const id = `${base}-param-${index}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the rows are positional ({{1}}, {{2}}…)
            <Flex gap="2" align="end" key={index}>
              <Field id={id} label={`{{${index + 1}}}`}>
                <input
                  id={id}
                  value={value}
                  onChange={(event) =>
                    setParameters((current) =>
                      current.map((old, at) => (at === index ? event.target.value : old)),
                    )
                  }
                />
              </Field>
              {parameters.length > 1 && (
                <Button
                  size="1"
                  variant="soft"
                  color="gray"
                  type="button"
                  aria-label={`Remove parameter ${index + 1}`}
                  onClick={() => setParameters((current) => current.filter((_, at) => at !== index))}
                >
                  Remove
                </Button>
              )}
            </Flex>
          );
        })}
        <Button
          size="1"
          variant="soft"
          color="gray"
          type="button"
          onClick={() => setParameters((current) => [...current, ""])}
        >
          Add parameter
        </Button>
      </fieldset>
      <Field
        id={ids.to}
        label="Send to"
        error={errorOf("to")}
        hint="The contact's WhatsApp phone number, international format (15551234567)."
      >
        <input
          id={ids.to}
          inputMode="tel"
          value={to}
          onChange={(event) => setTo(event.target.value)}
          {...invalidProps(ids.to, errorOf("to"))}
        />
      </Field>
      <FormProblems
        error={send.error}
        shown={["to", "name", "language", "template.to", "template.name", "template.language"]}
      />
      <Button variant="soft" color="gray" type="submit" disabled={send.isPending}>
        {send.isPending ? "Sending…" : "Send template"}
      </Button>
      {send.data && (
        <p role="status" className="muted" data-testid="template-result">
          Sent to {send.data.to} (message {send.data.messageId}).
        </p>
      )}
    </form>
  );
}
