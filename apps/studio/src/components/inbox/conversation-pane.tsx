"use client";

import { createNoteRequestSchema, sendMessageRequestSchema } from "@parley/contract";
import { Box, Button, Card, Flex, Grid, Heading, Link as RadixLink, Text, TextArea } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { useMe } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { ConfirmButton } from "../ui/confirm-dialog";
import {
  applyServerErrors,
  applyServerErrorsAt,
  FormField,
  TextFormField,
  useZodForm,
} from "../ui/form-field";
import { SimpleSelect } from "../ui/simple-select";
import { TranscriptLine } from "./transcript-line";
import { useConversationEvents } from "./use-conversation-events";

const TYPING_EVERY_MS = 2_500;

/** The agent's reply, from the contract's message schema: quick replies typed comma-separated. */
const agentReplyForm = z.object({
  text: sendMessageRequestSchema.shape.text.unwrap(),
  replies: z.string().transform((text) =>
    text
      .split(",")
      .map((label) => label.trim())
      .filter(Boolean)
      .map((label) => ({ label, value: label })),
  ),
  attachmentUrl: z
    .string()
    .transform((url) => url.trim())
    .pipe(z.union([z.literal(""), sendMessageRequestSchema.shape.attachmentUrl.unwrap()])),
});

/** The live chat with one conversation: messages, typing, reply box, notes and the handoff actions. */
export function ConversationPane({ conversationId, botId }: { conversationId: string; botId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const live = useConversationEvents(conversationId);
  const notes = useQuery(trpc.inbox.notes.queryOptions({ conversationId }));
  const polled = useQuery({ ...trpc.inbox.state.queryOptions({ conversationId }), refetchInterval: 2_000 });
  const summary = useQuery(trpc.inbox.summary.queryOptions({ conversationId }));
  const agents = useQuery(trpc.inbox.agents.queryOptions());
  const targets = useQuery(trpc.inbox.handBackTargets.queryOptions({ conversationId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });
  const claim = useMutation(trpc.inbox.claim.mutationOptions({ onSuccess: refresh }));
  const takeover = useMutation(trpc.inbox.takeover.mutationOptions({ onSuccess: refresh }));
  const transfer = useMutation(trpc.inbox.transfer.mutationOptions({ onSuccess: refresh }));
  const handBack = useMutation(trpc.inbox.handBack.mutationOptions({ onSuccess: refresh }));
  const close = useMutation(trpc.inbox.close.mutationOptions({ onSuccess: refresh }));
  const markRead = useMutation(trpc.inbox.markRead.mutationOptions());
  const typing = useMutation(trpc.inbox.typing.mutationOptions());
  const replyForm = useZodForm(agentReplyForm, {
    mode: "onSubmit",
    defaultValues: { text: "", replies: "", attachmentUrl: "" },
  });
  const noteForm = useZodForm(createNoteRequestSchema, { mode: "onSubmit", defaultValues: { text: "" } });
  const addNote = useMutation(
    trpc.inbox.addNote.mutationOptions({
      onError: (failure) => applyServerErrors(noteForm, failure, ["text"]),
    }),
  );
  const [resumeAt, setResumeAt] = useState("");
  const [transferTo, setTransferTo] = useState("");
  const lastTyping = useRef(0);
  const reply = useMutation(
    trpc.inbox.reply.mutationOptions({
      onSuccess: () => replyForm.reset(),
      onError: (failure) =>
        applyServerErrorsAt(replyForm, failure, (path) => {
          const field = path.replace(/^message\./, "").split(".")[0];
          return field === "text" || field === "replies" || field === "attachmentUrl" ? field : undefined;
        }),
    }),
  );

  const lastSeq = live.entries.at(-1)?.seq ?? 0;
  // Everything shown is read: the queue's unread count drops.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when a new message is shown
  useEffect(() => {
    if (lastSeq > 0) markRead.mutate({ conversationId, seq: lastSeq });
  }, [conversationId, lastSeq]);

  // The stream's state, or the polled one when that is newer (it is refetched right after every action).
  const state =
    polled.data && polled.dataUpdatedAt > live.stateAt ? polled.data : (live.state ?? polled.data ?? null);
  const myId = me.data?.user.id;
  const status = state?.status;
  const allNotes = [...(notes.data?.items ?? [])];
  for (const extra of live.notes) if (!allNotes.some((known) => known.id === extra.id)) allNotes.push(extra);
  const agentName = (userId: string | null | undefined) =>
    userId
      ? (agents.data?.items.find((agent) => agent.userId === userId)?.label ?? "another agent")
      : "nobody";
  const error =
    claim.error ??
    takeover.error ??
    transfer.error ??
    handBack.error ??
    close.error ??
    reply.error ??
    addNote.error;

  return (
    <Card size="2" asChild>
      <section className="inbox-pane" data-testid="conversation-pane" aria-label="Conversation">
        <Flex justify="between" align="center" wrap="wrap" gap="2" asChild>
          <header>
            <Text size="2">
              <strong data-testid="pane-status">{status ?? "…"}</strong>
              <Text color="gray">
                {state?.queue && <> · queue {state.queue}</>}
                {state?.priority && <> · {state.priority}</>}
                <span data-testid="pane-assignee">
                  {" "}
                  · assigned to {state?.assignedUserId === myId ? "you" : agentName(state?.assignedUserId)}
                </span>
                {!live.connected && <> · reconnecting…</>}
              </Text>
            </Text>
            <RadixLink asChild size="2">
              <Link href={`/bots/${botId}/conversations/${conversationId}`}>Full transcript</Link>
            </RadixLink>
          </header>
        </Flex>
        {state?.reason && (
          <Text as="p" size="2" color="gray" mt="2">
            Reason: {state.reason}
          </Text>
        )}
        {state?.csat && (
          <Text as="p" size="2" mt="2" data-testid="pane-csat">
            CSAT: {"★".repeat(state.csat.score)}
            {"☆".repeat(5 - state.csat.score)} ({state.csat.score}/5)
            {state.csat.comment ? ` “${state.csat.comment}”` : ""}
          </Text>
        )}
        <Text as="div" size="2" color="gray" mt="2" data-testid="pane-summary">
          {summary.data ? (
            <>
              <strong>Summary</strong> ({summary.data.method}, visitor {summary.data.sentiment}):{" "}
              {summary.data.summary}
            </>
          ) : (
            "Summarizing…"
          )}
        </Text>

        <Flex wrap="wrap" gap="2" my="3" align="center">
          {status === "waiting" && (
            <Button
              variant="soft"
              color="gray"
              type="button"
              onClick={() => takeover.mutate({ conversationId })}
            >
              Take over
            </Button>
          )}
          {status === "handoff" && state?.assignedUserId !== myId && (
            <Button type="button" onClick={() => claim.mutate({ conversationId })}>
              Claim
            </Button>
          )}
          {status === "handoff" && (
            <>
              <SimpleSelect
                aria-label="Transfer to"
                style={{ maxWidth: 280 }}
                value={transferTo}
                onValueChange={setTransferTo}
                options={[
                  { value: "", label: "Transfer to…" },
                  ...(agents.data?.items ?? [])
                    .filter((agent) => agent.userId !== state?.assignedUserId)
                    .map((agent) => ({
                      value: `user:${agent.userId}`,
                      label: `${agent.label} (${agent.status})`,
                    })),
                  ...["general", "billing", "tech-support"].map((queue) => ({
                    value: `queue:${queue}`,
                    label: `queue: ${queue}`,
                  })),
                ]}
              />
              <Button
                variant="soft"
                color="gray"
                type="button"
                disabled={!transferTo}
                onClick={() => {
                  const [kind, value] = [
                    transferTo.slice(0, transferTo.indexOf(":")),
                    transferTo.slice(transferTo.indexOf(":") + 1),
                  ];
                  transfer.mutate({
                    conversationId,
                    to: kind === "user" ? { userId: value } : { queue: value },
                  });
                  setTransferTo("");
                }}
              >
                Transfer
              </Button>
              <SimpleSelect
                aria-label="Hand back at"
                style={{ maxWidth: 280 }}
                value={resumeAt}
                onValueChange={setResumeAt}
                options={[
                  { value: "", label: "after the handoff" },
                  ...(targets.data?.items ?? []).map((target) => ({
                    value: target.nodeId,
                    label: `at ${target.label} (${target.kind})`,
                  })),
                ]}
              />
              <Button
                variant="soft"
                color="gray"
                type="button"
                onClick={() => handBack.mutate({ conversationId, ...(resumeAt ? { nodeId: resumeAt } : {}) })}
              >
                Hand back to bot
              </Button>
            </>
          )}
          {status !== "ended" && status !== undefined && (
            <ConfirmButton
              size="2"
              title="End this conversation?"
              description="The visitor sees that the conversation ended; a new message starts a new one."
              confirmLabel="End conversation"
              onConfirm={() => close.mutateAsync({ conversationId })}
            >
              End conversation
            </ConfirmButton>
          )}
        </Flex>
        <FormError error={error} />

        <ol className="inbox-chat" data-testid="chat-lines" aria-live="polite">
          {live.entries.map((entry) => (
            <TranscriptLine key={entry.seq} entry={entry} />
          ))}
        </ol>
        {live.visitorTyping && (
          <Text as="p" size="2" color="gray" data-testid="visitor-typing">
            Visitor is typing…
          </Text>
        )}

        {status === "handoff" && (
          <form
            aria-label="Reply to the visitor"
            noValidate
            onSubmit={replyForm.handleSubmit((values) =>
              reply.mutate({
                conversationId,
                message: {
                  text: values.text,
                  ...(values.replies.length ? { replies: values.replies } : {}),
                  ...(values.attachmentUrl ? { attachmentUrl: values.attachmentUrl } : {}),
                },
              }),
            )}
          >
            <FormField form={replyForm} name="text" id={`reply-${conversationId}`} label="Reply">
              {({ value, onChange, ref, ...control }) => (
                <TextArea
                  {...control}
                  ref={ref as never}
                  data-testid="reply-text"
                  rows={2}
                  value={(value as string | undefined) ?? ""}
                  onChange={(event) => {
                    onChange(event.target.value);
                    const now = Date.now();
                    if (now - lastTyping.current > TYPING_EVERY_MS) {
                      lastTyping.current = now;
                      typing.mutate({ conversationId, typing: true });
                    }
                  }}
                />
              )}
            </FormField>
            <Grid columns={{ initial: "1", sm: "1fr 1fr auto" }} gapX="3" align="start">
              <TextFormField
                form={replyForm}
                name="replies"
                id={`reply-${conversationId}-replies`}
                label="Quick replies (comma-separated)"
                placeholder="Yes, No"
              />
              <TextFormField
                form={replyForm}
                name="attachmentUrl"
                id={`reply-${conversationId}-attachment`}
                label="Attachment URL"
                placeholder="https://… (attachment)"
                type="url"
              />
              <Box style={{ marginTop: 36 }}>
                <Button type="submit" disabled={reply.isPending}>
                  {reply.isPending ? "Sending…" : "Send"}
                </Button>
              </Box>
            </Grid>
          </form>
        )}

        <Heading as="h3" size="3" mt="4">
          Internal notes
        </Heading>
        <ul data-testid="notes">
          {allNotes.map((entry) => (
            <li key={entry.id}>
              <Text color="gray">{entry.authorLabel}:</Text> {entry.text}
            </li>
          ))}
        </ul>
        <form
          aria-label="Add a note"
          noValidate
          onSubmit={noteForm.handleSubmit((values) =>
            addNote.mutate({ conversationId, ...values }, { onSuccess: () => noteForm.reset() }),
          )}
        >
          <Flex gap="3" align="start">
            <Box flexGrow="1">
              <TextFormField
                form={noteForm}
                name="text"
                id={`note-${conversationId}`}
                label="Internal note"
                aria-label="Internal note"
                placeholder="Note for colleagues (the visitor never sees it)"
              />
            </Box>
            <Box style={{ marginTop: 36 }}>
              <Button variant="soft" color="gray" type="submit" disabled={addNote.isPending}>
                Add note
              </Button>
            </Box>
          </Flex>
        </form>
      </section>
    </Card>
  );
}
