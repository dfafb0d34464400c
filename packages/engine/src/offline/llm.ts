import type { LlmCallOptions, LlmExtractField, LlmPort, LlmRequest, LlmResponse } from "../ports/llm";

/** What the offline model says instead of an answer. */
export const OFFLINE_REPLY =
  "I'm running in offline mode without a language model, so I can't write an answer to that. " +
  "Configure a model provider to enable AI replies.";

/** The offline model could not honestly extract a field. */
export class OfflineExtractionError extends Error {
  override readonly name = "OfflineExtractionError";
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const NUMBER = /-?\d+(?:\.\d+)?/;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;
const YES = /\b(yes|yeah|yep|sure|ok|okay|true|correct)\b/i;
const NO = /\b(no|nope|nah|false|incorrect)\b/i;

/**
 * Extracts what plain pattern matching can honestly find: e-mail addresses for fields named or
 * described as e-mail, numbers, ISO dates and yes/no booleans. Anything else is not extracted.
 */
function extractField(field: LlmExtractField, text: string): unknown {
  const about = `${field.name} ${field.description ?? ""}`.toLowerCase();
  switch (field.type) {
    case "string":
      return about.includes("email") || about.includes("e-mail") ? EMAIL.exec(text)?.[0] : undefined;
    case "number": {
      const found = NUMBER.exec(text)?.[0];
      return found === undefined ? undefined : Number(found);
    }
    case "date":
      return ISO_DATE.exec(text)?.[0];
    case "boolean":
      if (YES.test(text) && !NO.test(text)) return true;
      if (NO.test(text) && !YES.test(text)) return false;
      return undefined;
    default:
      return undefined;
  }
}

function waitABit(signal: AbortSignal): Promise<void> {
  // Yield between tokens like a real stream would, and honour aborts.
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    setImmediate(() => (signal.aborted ? reject(signal.reason) : resolve()));
  });
}

/**
 * A language-model port that needs no network and never pretends: replies say plainly that
 * the bot is offline (streamed word by word), and extraction finds only what pattern matching
 * can honestly find in the user's messages, failing (so the node's error branch is taken) when
 * a required field cannot be found.
 */
export function createOfflineLlm(options: { reply?: string } = {}): LlmPort {
  const reply = options.reply ?? OFFLINE_REPLY;
  return {
    async complete(request: LlmRequest, { signal, onToken }: LlmCallOptions): Promise<LlmResponse> {
      signal.throwIfAborted();
      if (!request.extract) {
        if (onToken) {
          for (const token of reply.split(/(?<= )/)) {
            await waitABit(signal);
            onToken(token);
          }
        }
        return { text: reply, model: "offline" };
      }
      const userText = request.messages
        .filter((message) => message.role === "user")
        .map((message) => message.content)
        .reverse()
        .join("\n");
      const json: Record<string, unknown> = {};
      for (const field of request.extract.fields) {
        const value = extractField(field, userText);
        if (value !== undefined) json[field.name] = value;
        else if (field.required) {
          throw new OfflineExtractionError(
            `offline mode cannot extract "${field.name}" without a language model`,
          );
        }
      }
      return { text: JSON.stringify(json), json, model: "offline" };
    },
  };
}
