"use client";
import { Button } from "@radix-ui/themes";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useMe } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { ConfirmButton } from "../ui/confirm-dialog";
import { SimpleSelect } from "../ui/simple-select";
import { TranscriptLine } from "./transcript-line";
import { useConversationEvents } from "./use-conversation-events";

const TYPING_EVERY_MS = 2_500;

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
  const addNote = useMutation(trpc.inbox.addNote.mutationOptions());
  const markRead = useMutation(trpc.inbox.markRead.mutationOptions());
  const typing = useMutation(trpc.inbox.typing.mutationOptions());
  const [text, setText] = useState("");
  const [replies, setReplies] = useState("");
  const [attachmentUrl, setAttachmentUrl] = useState("");
  const [note, setNote] = useState("");
  const [resumeAt, setResumeAt] = useState("");
  const [transferTo, setTransferTo] = useState("");
  const lastTyping = useRef(0);
  const reply = useMutation(
    trpc.inbox.reply.mutationOptions({
      onSuccess: () => {
        setText("");
        setReplies("");
        setAttachmentUrl("");
      },
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
    <section className="inbox-pane" data-testid="conversation-pane">
      <header className="row" style={{ justifyContent: "space-between", flexWrap: "wrap" }}>
        <div>
          <strong data-testid="pane-status">{status ?? "…"}</strong>
          {state?.queue && <span className="muted"> · queue {state.queue}</span>}
          {state?.priority && <span className="muted"> · {state.priority}</span>}
          <span className="muted" data-testid="pane-assignee">
            {" "}
            · assigned to {state?.assignedUserId === myId ? "you" : agentName(state?.assignedUserId)}
          </span>
          {!live.connected && <span className="muted"> · reconnecting…</span>}
        </div>
        <Link href={`/bots/${botId}/conversations/${conversationId}`}>Full transcript</Link>
      </header>
      {state?.reason && <p className="muted">Reason: {state.reason}</p>}
      {state?.csat && (
        <p data-testid="pane-csat">
          CSAT: {"★".repeat(state.csat.score)}
          {"☆".repeat(5 - state.csat.score)} ({state.csat.score}/5)
          {state.csat.comment ? ` “${state.csat.comment}”` : ""}
        </p>
      )}
      <div className="muted" data-testid="pane-summary">
        {summary.data ? (
          <>
            <strong>Summary</strong> ({summary.data.method}, visitor {summary.data.sentiment}):{" "}
            {summary.data.summary}
          </>
        ) : (
          "Summarizing…"
        )}
      </div>

      <div className="row" style={{ flexWrap: "wrap", gap: 8, margin: "8px 0" }}>
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
      </div>
      <FormError error={error} />

      <ol className="inbox-chat" data-testid="chat-lines" aria-live="polite">
        {live.entries.map((entry) => (
          <TranscriptLine key={entry.seq} entry={entry} />
        ))}
      </ol>
      {live.visitorTyping && (
        <p className="muted" data-testid="visitor-typing">
          Visitor is typing…
        </p>
      )}

      {status === "handoff" && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const options = replies
              .split(",")
              .map((label) => label.trim())
              .filter(Boolean)
              .map((label) => ({ label, value: label }));
            reply.mutate({
              conversationId,
              message: {
                text,
                ...(options.length ? { replies: options } : {}),
                ...(attachmentUrl.trim() ? { attachmentUrl: attachmentUrl.trim() } : {}),
              },
            });
          }}
        >
          <textarea
            aria-label="Reply"
            data-testid="reply-text"
            value={text}
            rows={2}
            required
            onChange={(event) => {
              setText(event.target.value);
              const now = Date.now();
              if (now - lastTyping.current > TYPING_EVERY_MS) {
                lastTyping.current = now;
                typing.mutate({ conversationId, typing: true });
              }
            }}
          />
          <div className="row" style={{ gap: 8 }}>
            <input
              aria-label="Quick replies (comma-separated)"
              placeholder="Quick replies: Yes, No"
              value={replies}
              onChange={(event) => setReplies(event.target.value)}
            />
            <input
              aria-label="Attachment URL"
              placeholder="https://… (attachment)"
              type="url"
              value={attachmentUrl}
              onChange={(event) => setAttachmentUrl(event.target.value)}
            />
            <Button type="submit" disabled={reply.isPending}>
              Send
            </Button>
          </div>
        </form>
      )}

      <h3>Internal notes</h3>
      <ul data-testid="notes">
        {allNotes.map((entry) => (
          <li key={entry.id}>
            <span className="muted">{entry.authorLabel}:</span> {entry.text}
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          addNote.mutate({ conversationId, text: note }, { onSuccess: () => setNote("") });
        }}
      >
        <input
          aria-label="Internal note"
          placeholder="Note for colleagues (the visitor never sees it)"
          value={note}
          required
          onChange={(event) => setNote(event.target.value)}
        />
        <Button variant="soft" color="gray" type="submit" disabled={addNote.isPending}>
          Add note
        </Button>
      </form>
    </section>
  );
}
