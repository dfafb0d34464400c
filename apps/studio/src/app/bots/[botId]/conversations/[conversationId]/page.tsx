"use client";
import { Button, Flex, Heading, Link as RadixLink, Table, Text } from "@radix-ui/themes";
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
import { Page, PageSkeleton } from "../../../../../components/ui/page";

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
      <Page title="Conversation">
        {transcript.isLoading ? <PageSkeleton /> : <FormError error={transcript.error} />}
      </Page>
    );
  const t = transcript.data;
  const nodes = [...new Set(t.path.map((step) => step.nodeId))];
  const canvas = `/bots/${botId}/flows/${t.flowId}?highlight=${encodeURIComponent(t.path.map((s) => s.nodeId).join(","))}`;
  const variables = Object.entries(t.variables);
  // The path never reorders: its position is its identity.
  const steps = t.path.map((step, position) => ({ ...step, id: `${step.turn}:${position}:${step.nodeId}` }));
  return (
    <Page
      title="Conversation"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}/conversations`}>← Conversations</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="conversations" />
      <Text as="p" size="2" color="gray" mb="3">
        {t.channel} · started {new Date(t.startedAt).toLocaleString()} · {t.status}
        {t.endedAt ? ` · ended ${new Date(t.endedAt).toLocaleString()}` : ""} · flow version{" "}
        {t.flowVersion ?? "draft"}
        {t.contactId && (
          <>
            {" "}
            ·{" "}
            <RadixLink asChild>
              <Link href={`/contacts/${t.contactId}`}>contact profile</Link>
            </RadixLink>
          </>
        )}
      </Text>
      {canAgent && t.status !== "ended" && (
        <Flex gap="2" align="center" mb="3">
          <Button
            type="button"
            disabled={takeover.isPending}
            onClick={() => takeover.mutate({ conversationId })}
          >
            Take over
          </Button>
          <Text size="2" color="gray">
            {t.status === "handoff"
              ? "Waiting for a human: claim it and answer in the inbox."
              : "The bot goes quiet and you answer the visitor from the inbox."}
          </Text>
        </Flex>
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
          <Heading as="h2" size="4" mb="2">
            Variables
          </Heading>
          {variables.length === 0 ? (
            <Text as="p" size="2" color="gray">
              No variables set.
            </Text>
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
          <Heading as="h2" size="4" mt="4" mb="2">
            Path
          </Heading>
          {t.path.length === 0 ? (
            <Text as="p" size="2" color="gray">
              No turns recorded.
            </Text>
          ) : (
            <>
              <ol aria-label="Nodes visited">
                {steps.map((step) => (
                  <li key={step.id}>
                    {step.nodeId} <span className="muted">(turn {step.turn})</span>
                  </li>
                ))}
              </ol>
              <Text as="p" size="2">
                <RadixLink asChild>
                  <Link href={canvas}>
                    Show the path on the canvas ({nodes.length} node{nodes.length === 1 ? "" : "s"}, version{" "}
                    {t.flowVersion ?? "draft"})
                  </Link>
                </RadixLink>
              </Text>
            </>
          )}
        </aside>
      </div>
    </Page>
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
