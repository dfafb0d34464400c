"use client";

import type { InboxItem } from "@parley/contract";
import { Badge, Button, Card, Flex, SegmentedControl, Text } from "@radix-ui/themes";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { ConversationPane } from "../../components/inbox/conversation-pane";
import { Shell } from "../../components/shell";
import { Page } from "../../components/ui/page";
import { SimpleSelect } from "../../components/ui/simple-select";

const POLL_MS = 2_000;
const PRESENCE_EVERY_MS = 20_000;

/** "3m 12s" for a waiting time. */
function waited(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

/** Browser notifications for conversations that newly wait for a human. */
function useWaitingNotifications(items: readonly InboxItem[] | undefined) {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!items) return;
    const waiting = items.filter((item) => item.assignedUserId === null);
    if (seen.current === null) {
      seen.current = new Set(waiting.map((item) => item.conversationId));
      return;
    }
    for (const item of waiting) {
      if (seen.current.has(item.conversationId)) continue;
      seen.current.add(item.conversationId);
      if (typeof Notification !== "undefined" && Notification.permission === "granted") {
        new Notification(`Waiting: ${item.botName}`, {
          body: item.reason ?? item.preview ?? "A visitor needs help",
        });
      }
    }
  }, [items]);
}

function Inbox() {
  const trpc = useTRPC();
  const [view, setView] = useState<"all" | "waiting" | "mine">("all");
  const [selected, setSelected] = useState<{ conversationId: string; botId: string } | null>(null);
  // `/inbox?open=<conversationId>&bot=<botId>` (after "Take over" on a transcript) opens it right away.
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const open = params.get("open");
    const bot = params.get("bot");
    if (open && bot) setSelected({ conversationId: open, botId: bot });
  }, []);
  const [presence, setPresenceState] = useState<"online" | "away">("online");
  // Polled: a conversation the agent may no longer see drops out within seconds.
  const list = useQuery({ ...trpc.inbox.list.queryOptions({ view }), refetchInterval: POLL_MS });
  const agents = useQuery({ ...trpc.inbox.agents.queryOptions(), refetchInterval: PRESENCE_EVERY_MS });
  const setPresence = useMutation(trpc.inbox.setPresence.mutationOptions());
  const [notifications, setNotifications] = useState(
    typeof Notification === "undefined" ? "unsupported" : Notification.permission,
  );
  useWaitingNotifications(list.data?.items);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-announce only when the choice changes
  useEffect(() => {
    setPresence.mutate({ status: presence });
    const timer = setInterval(() => setPresence.mutate({ status: presence }), PRESENCE_EVERY_MS);
    return () => clearInterval(timer);
  }, [presence]);
  // The open conversation stays open after a hand back or end (to see the rating), until the
  // agent may no longer see it: then it closes within a poll.
  const selectedState = useQuery({
    ...trpc.inbox.state.queryOptions({ conversationId: selected?.conversationId ?? "-" }),
    enabled: selected !== null,
    refetchInterval: POLL_MS,
    retry: false,
  });
  useEffect(() => {
    if (selectedState.isError) setSelected(null);
  }, [selectedState.isError]);

  const items = list.data?.items ?? [];
  return (
    <Page title="Inbox" description="Conversations waiting for a human, and the chat with the one you pick.">
      <Flex gap="3" wrap="wrap" align="center" mb="4">
        <Text as="span" size="2">
          <Flex gap="1" align="center">
            Me:
            <SimpleSelect
              aria-label="My presence"
              value={presence}
              onValueChange={(value) => setPresenceState(value as "online" | "away")}
              options={["online", "away"]}
            />
          </Flex>
        </Text>
        <SegmentedControl.Root
          value={view}
          onValueChange={(next) => setView(next as typeof view)}
          aria-label="Queue"
        >
          {(["all", "waiting", "mine"] as const).map((name) => (
            <SegmentedControl.Item key={name} value={name}>
              {name}
            </SegmentedControl.Item>
          ))}
        </SegmentedControl.Root>
        {notifications === "default" && (
          <Button
            size="1"
            variant="soft"
            color="gray"
            type="button"
            onClick={() => void Notification.requestPermission().then((answer) => setNotifications(answer))}
          >
            Enable notifications
          </Button>
        )}
        <Text size="2" color="gray" data-testid="agents-presence">
          {agents.data?.items
            .map((agent) => `${agent.label}: ${agent.status} (${agent.assigned})`)
            .join(" · ")}
        </Text>
      </Flex>
      <FormError error={list.error} />
      <div
        className="inbox-layout"
        style={{ display: "grid", gridTemplateColumns: "minmax(260px, 1fr) 2fr", gap: 16 }}
      >
        <ul className="inbox-queue" data-testid="inbox-queue" style={{ listStyle: "none", padding: 0 }}>
          {items.length === 0 && (
            <li>
              <Text size="2" color="gray">
                Nobody is waiting.
              </Text>
            </li>
          )}
          {items.map((item) => (
            <li key={item.conversationId}>
              <Card
                asChild
                mb="2"
                variant={selected?.conversationId === item.conversationId ? "classic" : "surface"}
              >
                <button
                  type="button"
                  data-testid={`inbox-item-${item.conversationId}`}
                  aria-pressed={selected?.conversationId === item.conversationId}
                  style={{
                    width: "100%",
                    textAlign: "left",
                    font: "inherit",
                    color: "inherit",
                    cursor: "pointer",
                  }}
                  onClick={() => setSelected({ conversationId: item.conversationId, botId: item.botId })}
                >
                  <strong>{item.contactName ?? "Visitor"}</strong> · {item.botName}
                  {item.unread > 0 && (
                    <Badge color="gray" data-testid="unread">
                      {" "}
                      {item.unread} new
                    </Badge>
                  )}
                  <br />
                  <Text size="1" color="gray">
                    {item.priority ?? "normal"} · {item.queue ?? "no queue"} · waiting{" "}
                    {waited(item.waitingSeconds)} · {item.assignedUserId ? "assigned" : "unassigned"}
                  </Text>
                  {item.reason && (
                    <>
                      <br />
                      <Text size="1" color="gray">
                        {item.reason}
                      </Text>
                    </>
                  )}
                  {item.preview && (
                    <>
                      <br />
                      <em>{item.preview}</em>
                    </>
                  )}
                </button>
              </Card>
            </li>
          ))}
        </ul>
        {selected ? (
          <ConversationPane
            key={selected.conversationId}
            conversationId={selected.conversationId}
            botId={selected.botId}
          />
        ) : (
          <Text as="p" size="2" color="gray">
            Pick a conversation.
          </Text>
        )}
      </div>
    </Page>
  );
}

/** The live agent inbox: conversations waiting for a human, and the chat with the one picked. */
export default function InboxPage() {
  return (
    <Shell>
      <Inbox />
    </Shell>
  );
}
