/// <reference path="./nlpjs.d.ts" />
import { containerBootstrap } from "@nlpjs/core";
import { LangEn } from "@nlpjs/lang-en";
import { SentimentAnalyzer } from "@nlpjs/sentiment";
import type { ConversationSummaryInsight } from "@parley/contract";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { readInboxRow } from "./inbox-state";

/** Messages with text the summary reads (Postgres keeps at least these once archived: hot-history). */
export const SUMMARY_HISTORY = 40;
const SUMMARY_PROMPT =
  "Summarize this customer conversation for a support agent who takes it over, in at most 3 short " +
  "sentences: what the customer wants, what the bot already did, what is still open. Plain text.";

let analyzer: Promise<SentimentAnalyzer> | undefined;
/** The offline sentiment analyzer (@nlpjs/sentiment, English lexicon), built once per process. */
function sentimentAnalyzer(): Promise<SentimentAnalyzer> {
  analyzer ??= Promise.resolve(containerBootstrap()).then((container) => {
    container.use(LangEn);
    return new SentimentAnalyzer({ container });
  });
  return analyzer;
}

/** The visitor's sentiment over their messages (offline, lexicon-based) (internal). */
export async function visitorSentiment(
  texts: readonly string[],
): Promise<ConversationSummaryInsight["sentiment"]> {
  const text = texts.join(". ").trim();
  if (!text) return "neutral";
  const result = await (await sentimentAnalyzer()).process({ locale: "en", text });
  const score = result.sentiment.score;
  return score <= -0.1 ? "negative" : score >= 0.5 ? "positive" : "neutral";
}

/**
 * An extractive summary: the visitor's first message (the request) and their last ones, then what
 * the bot said last; what the offline provider gives (internal).
 */
export function extractiveSummary(lines: readonly { author: string; text: string }[]): string {
  const visitor = lines.filter((line) => line.author === "user").map((line) => line.text);
  const bot = lines.filter((line) => line.author === "bot").map((line) => line.text);
  const parts: string[] = [];
  if (visitor[0]) parts.push(`Visitor asked: "${clip(visitor[0])}".`);
  const recent = visitor.slice(1).slice(-2);
  if (recent.length) parts.push(`Then: ${recent.map((text) => `"${clip(text)}"`).join(", ")}.`);
  if (bot.length) parts.push(`Bot last said: "${clip(bot[bot.length - 1] ?? "")}".`);
  return parts.join(" ") || "No messages yet.";
}

const clip = (text: string, max = 160): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * A short summary of the conversation so far and the visitor's sentiment, for the agent who picks
 * it up: through the tenant's `default` model route (the bot's own default when set); with no
 * model configured, or when the route answers with the offline provider or fails, an extractive
 * summary. Sentiment is computed offline. Needs `conversations:agent`.
 */
export async function summarizeConversation(
  ctx: ServiceContext,
  conversationId: string,
): Promise<ConversationSummaryInsight> {
  authorize(ctx, "conversations:agent");
  const row = await readInboxRow(ctx, conversationId);
  const messages = await tenantDb(ctx).message.findMany({
    where: { conversationId, text: { not: null }, author: { in: ["user", "bot", "agent"] } },
    orderBy: { seq: "desc" },
    take: SUMMARY_HISTORY,
    select: { author: true, text: true },
  });
  const lines = messages
    .reverse()
    .filter((message) => message.text)
    .map((message) => ({ author: message.author, text: message.text as string }));
  const sentiment = await visitorSentiment(
    lines.filter((line) => line.author === "user").map((line) => line.text),
  );
  const orchestrator = ctx.deps.models?.orchestrator;
  if (orchestrator && lines.length > 0) {
    try {
      const transcript = lines.map(
        (line) => `${line.author === "user" ? "Customer" : line.author}: ${line.text}`,
      );
      const answer = await orchestrator.complete(
        {
          route: "default",
          messages: [
            { role: "system", content: SUMMARY_PROMPT },
            { role: "user", content: transcript.join("\n") },
          ],
        },
        { tenantId: ctx.tenantId, botId: row.botId, conversationId },
        { signal: AbortSignal.timeout(15_000) },
      );
      if (answer.record.providerKind !== "offline" && answer.text.trim()) {
        return { summary: answer.text.trim(), sentiment, method: "model" };
      }
    } catch (error) {
      ctx.deps.logger?.warn(
        { error: String(error), conversationId },
        "summary model call failed; extractive summary",
      );
    }
  }
  return { summary: extractiveSummary(lines), sentiment, method: "extractive" };
}
