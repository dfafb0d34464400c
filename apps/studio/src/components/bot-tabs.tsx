"use client";

import Link from "next/link";

/** The sections of a bot's home, in the order the tab bar shows them. */
export const botTabs = [
  { id: "flows", label: "Flows", path: "" },
  { id: "conversations", label: "Conversations", path: "/conversations" },
  { id: "analytics", label: "Analytics", path: "/analytics" },
  { id: "experiments", label: "Experiments", path: "/experiments" },
  { id: "channels", label: "Channels", path: "/channels" },
  { id: "knowledge", label: "Knowledge", path: "/knowledge" },
  { id: "settings", label: "Settings", path: "/settings" },
] as const;

/** One section of a bot's home. */
export type BotTabId = (typeof botTabs)[number]["id"];

/**
 * The tab bar every bot page starts with, so a bot's sections are one click apart.
 *
 * @example
 * <BotTabs botId={botId} active="knowledge" />
 */
export function BotTabs({ botId, active }: { botId: string; active: BotTabId }) {
  return (
    <nav className="bot-tabs" aria-label="Bot sections">
      {botTabs.map((tab) => (
        <Link
          key={tab.id}
          href={`/bots/${botId}${tab.path}`}
          aria-current={tab.id === active ? "page" : undefined}
          className={tab.id === active ? "active" : undefined}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
