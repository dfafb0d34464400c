"use client";

import type { BotSummary } from "@parley/contract";
import { Badge, Flex, Text } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { Cpu, MessagesSquare, Radio, Rocket } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "../client/trpc";
import "./manage/home.css";

/** The sections of a bot's home, in the order the tab bar shows them, with the count each shows. */
export const botTabs = [
  { id: "flows", label: "Flows", path: "", count: (s: BotSummary) => s.flows.live },
  {
    id: "conversations",
    label: "Conversations",
    path: "/conversations",
    count: (s: BotSummary) => s.conversations.total,
  },
  { id: "analytics", label: "Analytics", path: "/analytics", count: null },
  {
    id: "experiments",
    label: "Experiments",
    path: "/experiments",
    count: (s: BotSummary) => s.experiments.running,
  },
  { id: "channels", label: "Channels", path: "/channels", count: (s: BotSummary) => s.channels.connected },
  {
    id: "knowledge",
    label: "Knowledge",
    path: "/knowledge",
    count: (s: BotSummary) => s.knowledge.documents,
  },
  { id: "settings", label: "Settings", path: "/settings", count: null },
] as const;

/** One section of a bot's home. */
export type BotTabId = (typeof botTabs)[number]["id"];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The model line: which route(s) the published flows call, or that none does. */
function modelLine(summary: BotSummary): string {
  if (!summary.models.usesModels) return "No model calls";
  const routes = [...new Set(summary.models.uses.map((use) => use.route ?? use.requested))];
  const providers = [...new Set(summary.models.uses.flatMap((use) => use.providers))];
  return `Model: ${routes.join(", ")}${providers.length ? ` (${providers.join(", ")})` : ""}`;
}

/** The bot at a glance, above its tabs: published version, channels, conversations today, model. */
export function BotStatusStrip({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.bots.summary.queryOptions({ botId }));
  const s = summary.data;
  if (!s) return <div className="bot-status-strip skeleton" aria-hidden style={{ height: 28 }} />;
  const published = s.entryFlow?.publishedVersion;
  return (
    <Flex
      className="bot-status-strip"
      gap="4"
      wrap="wrap"
      align="center"
      data-testid="bot-status"
      role="group"
      aria-label="Bot status"
    >
      <Text size="2">
        <Rocket size={14} aria-hidden />{" "}
        {published ? (
          <>
            <Badge color="green" highContrast>
              live
            </Badge>{" "}
            {s.entryFlow?.name} v{published.version}
          </>
        ) : (
          <Badge color="amber" highContrast>
            not published
          </Badge>
        )}
      </Text>
      <Text size="2" data-testid="status-channels">
        <Radio size={14} aria-hidden />{" "}
        {s.channels.connected === 0
          ? "Web widget only"
          : `${plural(s.channels.connected, "channel")} connected`}
      </Text>
      <Text size="2" data-testid="status-conversations">
        <MessagesSquare size={14} aria-hidden /> {plural(s.conversations.today, "conversation")} today ·{" "}
        {s.conversations.open} open
        {s.conversations.handoff > 0 ? ` · ${s.conversations.handoff} with agents` : ""}
      </Text>
      <Text size="2" data-testid="status-model">
        <Cpu size={14} aria-hidden /> {modelLine(s)}{" "}
        {s.models.offlineOnly && <Badge color="orange">offline model</Badge>}
      </Text>
    </Flex>
  );
}

/**
 * The header every bot page starts with: the bot's status at a glance, then the tab bar (with counts)
 * so a bot's sections are one click apart.
 *
 * @example
 * <BotTabs botId={botId} active="knowledge" />
 */
export function BotTabs({ botId, active }: { botId: string; active: BotTabId }) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.bots.summary.queryOptions({ botId }));
  return (
    <>
      <BotStatusStrip botId={botId} />
      <nav className="bot-tabs" aria-label="Bot sections">
        {botTabs.map((tab) => {
          const count = tab.count && summary.data ? tab.count(summary.data) : null;
          return (
            <Link
              key={tab.id}
              href={`/bots/${botId}${tab.path}`}
              aria-current={tab.id === active ? "page" : undefined}
              className={tab.id === active ? "active" : undefined}
              data-testid={`tab-${tab.id}`}
            >
              {tab.label}
              {count !== null && (
                <span className="tab-count" data-testid={`tab-count-${tab.id}`}>
                  {count}
                </span>
              )}
            </Link>
          );
        })}
      </nav>
    </>
  );
}
