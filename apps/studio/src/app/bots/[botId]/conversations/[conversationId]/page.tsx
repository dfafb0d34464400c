"use client";
import { Button, Table } from "@radix-ui/themes";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useCan } from "../../../../../client/session";
import { useTRPC } from "../../../../../client/trpc";
import { BotTabs } from "../../../../../components/bot-tabs";
import { TranscriptView } from "../../../../../components/conversations/transcript-view";
import { FormError } from "../../../../../components/form-error";
import { Shell } from "../../../../../components/shell";
import "../../../../../components/conversations/conversations.css";
import { PageSkeleton } from "../../../../../components/ui/page";

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function Transcript() {
  const { botId, conversationId } = useParams<{ botId: string; conversationId: string }>();
  const trpc = useTRPC();
  const transcript = useQuery(trpc.conversations.get.queryOptions({ conversationId }));
  const router = useRouter();
  const canAgent = useCan("conversations:agent");
  // The agent lands in the inbox with the conversation open, to answer right away.
  const takeover = useMutation(
    trpc.inbox.takeover.mutationOptions({
      onSuccess: () => router.push(`/inbox?open=${conversationId}&bot=${botId}`),
    }),
  );
  if (!transcript.data)
    return (
      <main className="shell-main">
        {transcript.isLoading ? <PageSkeleton /> : <FormError error={transcript.error} />}
      </main>
    );
  const t = transcript.data;
  const nodes = [...new Set(t.path.map((step) => step.nodeId))];
  const canvas = `/bots/${botId}/flows/${t.flowId}?highlight=${encodeURIComponent(t.path.map((s) => s.nodeId).join(","))}`;
  const variables = Object.entries(t.variables);
  // The path never reorders: its position is its identity.
  const steps = t.path.map((step, position) => ({ ...step, id: `${step.turn}:${position}:${step.nodeId}` }));
  return (
    <main className="shell-main">
      <p>
        <Link href={`/bots/${botId}/conversations`}>← Conversations</Link>
      </p>
      <h1>Conversation</h1>
      <BotTabs botId={botId} active="conversations" />
      <p className="muted">
        {t.channel} · started {new Date(t.startedAt).toLocaleString()} · {t.status}
        {t.endedAt ? ` · ended ${new Date(t.endedAt).toLocaleString()}` : ""} · flow version{" "}
        {t.flowVersion ?? "draft"}
        {t.contactId && (
          <>
            {" "}
            · <Link href={`/contacts/${t.contactId}`}>contact profile</Link>
          </>
        )}
      </p>
      {canAgent && t.status !== "ended" && (
        <div className="row" style={{ gap: 8, alignItems: "center" }}>
          <Button
            type="button"
            disabled={takeover.isPending}
            onClick={() => takeover.mutate({ conversationId })}
          >
            Take over
          </Button>
          <span className="muted">
            {t.status === "handoff"
              ? "Waiting for a human: claim it and answer in the inbox."
              : "The bot goes quiet and you answer the visitor from the inbox."}
          </span>
        </div>
      )}
      <FormError error={takeover.error} />
      {t.csat && (
        <p data-testid="transcript-csat">
          <strong>CSAT</strong> {"★".repeat(t.csat.score)}
          {"☆".repeat(Math.max(0, 5 - t.csat.score))} ({t.csat.score}/5)
          {t.csat.comment ? ` — “${t.csat.comment}”` : ""}
        </p>
      )}
      <div className="transcript-layout">
        <section aria-label="Transcript">
          <TranscriptView transcript={t} />
        </section>
        <aside>
          <h2>Variables</h2>
          {variables.length === 0 ? (
            <p className="muted">No variables set.</p>
          ) : (
            <Table.Root variant="surface">
              {/* Radix puts Table.Root's props on its wrapper: the caption names the table itself. */}
              <caption className="sr-only">Variables</caption>
              <Table.Body>
                {variables.map(([name, value]) => (
                  <Table.Row key={name}>
                    <Table.ColumnHeaderCell scope="row">{name}</Table.ColumnHeaderCell>
                    <Table.Cell>{show(value)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          )}
          <h2>Path</h2>
          {t.path.length === 0 ? (
            <p className="muted">No turns recorded.</p>
          ) : (
            <>
              <ol aria-label="Nodes visited">
                {steps.map((step) => (
                  <li key={step.id}>
                    {step.nodeId} <span className="muted">(turn {step.turn})</span>
                  </li>
                ))}
              </ol>
              <p>
                <Link href={canvas}>
                  Show the path on the canvas ({nodes.length} node{nodes.length === 1 ? "" : "s"}, version{" "}
                  {t.flowVersion ?? "draft"})
                </Link>
              </p>
            </>
          )}
        </aside>
      </div>
    </main>
  );
}

/** One conversation as the chat looked, with its variables and the nodes it went through. */
export default function TranscriptPage() {
  return (
    <Shell>
      <Transcript />
    </Shell>
  );
}
