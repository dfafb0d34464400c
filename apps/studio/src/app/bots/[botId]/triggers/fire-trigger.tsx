"use client";
import { Button } from "@radix-ui/themes";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../../client/trpc";
import { issuesOf } from "../../../../components/field";
import { FormError } from "../../../../components/form-error";

/** A message of the first turn as one line: its text, else its type. */
function describe(message: unknown): string {
  const { text, type } = (message ?? {}) as { text?: unknown; type?: unknown };
  return typeof text === "string" ? text : String(type ?? "message");
}

/**
 * "Fire…" on the Triggers page: sends a request body (JSON, as your system would POST it) through
 * the trigger and shows the conversation it started and the bot's first messages. On a messaging
 * channel those messages also go out to the chat named by `user`.
 */
export function FireTrigger({ botId, name, onClose }: { botId: string; name: string; onClose: () => void }) {
  const trpc = useTRPC();
  const [body, setBody] = useState('{\n  "user": { "id": "customer-1" },\n  "data": {}\n}');
  const [parseError, setParseError] = useState<string | null>(null);
  const fire = useMutation(trpc.triggers.fire.mutationOptions());
  const errors = issuesOf(fire.error);
  const fieldErrors = Object.entries(errors).map(
    ([path, message]) => `${path.replace(/^request\./, "")}: ${message}`,
  );
  return (
    <form
      className="card"
      aria-label={`Fire ${name}`}
      onSubmit={(event) => {
        event.preventDefault();
        let request: unknown;
        try {
          request = JSON.parse(body);
        } catch (error) {
          setParseError(`not JSON: ${(error as Error).message}`);
          return;
        }
        setParseError(null);
        fire.mutate({ botId, name, request: request as never });
      }}
    >
      <h2 style={{ marginTop: 0 }}>Fire “{name}”</h2>
      <label htmlFor="fire-trigger-body">Request body</label>
      <textarea
        id="fire-trigger-body"
        rows={6}
        value={body}
        aria-invalid={parseError || fieldErrors.length > 0 ? true : undefined}
        aria-describedby={parseError || fieldErrors.length > 0 ? "fire-trigger-body-error" : undefined}
        onChange={(event) => setBody(event.target.value)}
      />
      {(parseError || fieldErrors.length > 0) && (
        <div className="field-error" id="fire-trigger-body-error" role="alert">
          {parseError ?? fieldErrors.join("; ")}
        </div>
      )}
      <FormError error={fieldErrors.length > 0 ? null : fire.error} />
      <p className="row">
        <Button type="submit" disabled={fire.isPending}>
          Fire trigger
        </Button>
        <Button variant="soft" color="gray" type="button" onClick={onClose}>
          Close
        </Button>
      </p>
      {fire.data && (
        <div data-testid="fire-result" role="status">
          <p>
            Conversation <code>{fire.data.conversationId}</code> started on {fire.data.channel} (
            {fire.data.status}).
          </p>
          <ul>
            {fire.data.messages.map((message, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the first turn's messages, in order, never reordered.
              <li key={index}>{describe(message)}</li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
