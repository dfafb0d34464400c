import type { Filter } from "mongodb";
import type { TranscriptQuery } from "../transcript-store";
import { isUuid } from "../uuid";
import type { ConversationDocument } from "./mongo-documents";

/**
 * The `conversations` filter of a list query (everything but `q`): the same filters the Postgres
 * store's WHERE clause applies. `contactIds` are the contacts whose name, e-mail or phone contain
 * `filters.contact` (contacts live in Postgres; the caller resolves them); `cursor` pages.
 */
export function conversationFilter(
  tenantId: string,
  query: Pick<TranscriptQuery, "botId" | "filters" | "cursor">,
  contactIds?: readonly string[],
): Filter<ConversationDocument> {
  const { filters } = query;
  const filter: Filter<ConversationDocument> = { tenantId, botId: query.botId };
  const and: Filter<ConversationDocument>[] = [];
  if (query.cursor) filter._id = { $lt: query.cursor };
  if (filters.status) filter.status = filters.status;
  if (filters.state) filter.state = filters.state;
  if (filters.channel) filter.channel = filters.channel;
  // Not a UUID: it names no contact.
  if (filters.contactId) and.push({ contactId: isUuid(filters.contactId) ? filters.contactId : { $in: [] } });
  if (filters.contact !== undefined) and.push({ contactId: { $in: [...(contactIds ?? [])] } });
  if (filters.flowVersion !== undefined) filter.flowVersion = filters.flowVersion;
  if (filters.variant) filter.experimentVariant = filters.variant;
  const started = range(filters.since, filters.until);
  if (started) filter.startedAt = started;
  const active = range(filters.lastActivitySince, filters.lastActivityUntil);
  if (active) filter.lastActivityAt = active;
  if (and.length > 0) filter.$and = and;
  return filter;
}

function range(
  since: string | undefined,
  until: string | undefined,
): { $gte?: Date; $lt?: Date } | undefined {
  if (!since && !until) return undefined;
  return { ...(since ? { $gte: new Date(since) } : {}), ...(until ? { $lt: new Date(until) } : {}) };
}

/**
 * A `$text` search string with the meaning of Postgres's `websearch_to_tsquery` (the Postgres
 * store's syntax): every word must occur (MongoDB ORs bare words but ANDs quoted phrases, so each
 * word is quoted), `"a phrase"` stays a phrase, `-word` excludes, and `a or b` is MongoDB's own
 * OR of bare words. Null when nothing searchable is left.
 */
export function textSearchOf(q: string): string | null {
  const tokens = [...q.matchAll(/(-?)"([^"]*)"?|(\S+)/g)];
  const positive: { text: string; phrase: boolean }[] = [];
  const negative: string[] = [];
  let or = false;
  for (const token of tokens) {
    const quoted = token[2];
    if (quoted !== undefined) {
      const phrase = cleanPhrase(quoted);
      if (!phrase) continue;
      if (token[1]) negative.push(...phrase.split(" "));
      else positive.push({ text: phrase, phrase: true });
      continue;
    }
    const word = token[3]!;
    if (word.toLowerCase() === "or") {
      or = true;
      continue;
    }
    if (word.startsWith("-")) {
      const excluded = cleanPhrase(word.slice(1));
      if (excluded) negative.push(...excluded.split(" "));
      continue;
    }
    const cleaned = cleanPhrase(word);
    if (cleaned) positive.push({ text: cleaned, phrase: cleaned.includes(" ") });
  }
  if (positive.length === 0) return null;
  const parts = positive.map(({ text, phrase }) => (or && !phrase ? text : `"${text}"`));
  return [...parts, ...negative.map((word) => `-${word}`)].join(" ");
}

/** Words of `text` as the text index tokenises them (letters and digits), space-separated. */
function cleanPhrase(text: string): string {
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .join(" ");
}
