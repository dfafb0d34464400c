"use client";

import { fireTriggerRequestSchema } from "@parley/contract";
import { Box, Button, Card, Code, Flex, Heading, Text } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { useTRPC } from "../../../../client/trpc";
import { issuesOf } from "../../../../components/field";
import { FormError } from "../../../../components/form-error";
import { TextAreaFormField, useZodForm } from "../../../../components/ui/form-field";

/** A message of the first turn as one line: its text, else its type. */
function describe(message: unknown): string {
  const { text, type } = (message ?? {}) as { text?: unknown; type?: unknown };
  return typeof text === "string" ? text : String(type ?? "message");
}

/** The fire form: the request body as JSON text, checked with the contract's request schema. */
const fireForm = z.object({
  body: z.string().transform((text, ctx) => {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    const checked = fireTriggerRequestSchema.safeParse(request);
    if (checked.success) return checked.data;
    ctx.addIssue({
      code: "custom",
      message: checked.error.issues
        .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
        .join("; "),
    });
    return z.NEVER;
  }),
});

/**
 * "Fire…" on the Triggers page: sends a request body (JSON, as your system would POST it) through
 * the trigger and shows the conversation it started and the bot's first messages. On a messaging
 * channel those messages also go out to the chat named by `user`.
 */
export function FireTrigger({ botId, name, onClose }: { botId: string; name: string; onClose: () => void }) {
  const trpc = useTRPC();
  const form = useZodForm(fireForm, {
    mode: "onSubmit",
    defaultValues: { body: '{\n  "user": { "id": "customer-1" },\n  "data": {}\n}' },
  });
  const fire = useMutation(
    trpc.triggers.fire.mutationOptions({
      onError: (error) => {
        const problems = Object.entries(issuesOf(error)).map(
          ([path, message]) => `${path.replace(/^request\.?/, "")}: ${message}`,
        );
        if (problems.length > 0) form.setError("body", { message: problems.join("; ") });
      },
    }),
  );
  return (
    <Card size="3" my="4" asChild>
      <form
        aria-label={`Fire ${name}`}
        noValidate
        onSubmit={form.handleSubmit((values) => fire.mutate({ botId, name, request: values.body }))}
      >
        <Heading as="h2" size="4">
          Fire “{name}”
        </Heading>
        <TextAreaFormField
          form={form}
          name="body"
          id="fire-trigger-body"
          label="Request body"
          rows={6}
          style={{ fontFamily: "var(--code-font-family)" }}
        />
        {Object.keys(issuesOf(fire.error)).length === 0 && <FormError error={fire.error} />}
        <Flex gap="3" mt="4">
          <Button type="submit" disabled={fire.isPending}>
            {fire.isPending ? "Firing…" : "Fire trigger"}
          </Button>
          <Button variant="soft" color="gray" type="button" onClick={onClose}>
            Close
          </Button>
        </Flex>
        {fire.data && (
          <Box data-testid="fire-result" role="status" mt="3">
            <Text as="p" size="2">
              Conversation <Code>{fire.data.conversationId}</Code> started on {fire.data.channel} (
              {fire.data.status}).
            </Text>
            <ul>
              {fire.data.messages.map((message, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the first turn's messages, in order, never reordered.
                <li key={index}>{describe(message)}</li>
              ))}
            </ul>
          </Box>
        )}
      </form>
    </Card>
  );
}
