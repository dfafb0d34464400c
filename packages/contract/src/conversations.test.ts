import { describe, expect, it } from "vitest";
import {
  createConversationRequestSchema,
  sendMessageRequestSchema,
  transcriptEntrySchema,
  turnResponseSchema,
} from "./conversations";

describe("conversation API payloads", () => {
  it("accepts text or choice, never both or neither", () => {
    expect(sendMessageRequestSchema.safeParse({ text: "hi" }).success).toBe(true);
    expect(sendMessageRequestSchema.safeParse({ choice: ["small", "large"] }).success).toBe(true);
    const both = sendMessageRequestSchema.safeParse({ text: "hi", choice: "small" });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toBe("send exactly one of `text` or `choice`");
    expect(sendMessageRequestSchema.safeParse({}).success).toBe(false);
  });

  it("rejects unknown fields by name instead of dropping them", () => {
    const result = sendMessageRequestSchema.safeParse({ text: "hi", txet: "typo" });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("txet");
    expect(createConversationRequestSchema.safeParse({ chanel: "web" }).success).toBe(false);
  });

  it("defaults the author to the user and the channel to api", () => {
    expect(sendMessageRequestSchema.parse({ text: "hi" }).author).toBe("user");
    expect(createConversationRequestSchema.parse({}).channel).toBe("api");
    expect(createConversationRequestSchema.safeParse({ channel: "fax" }).success).toBe(false);
  });

  it("carries the engine's outgoing messages unchanged in turn responses and transcripts", () => {
    const ask = {
      type: "ask",
      nodeId: "ask-name",
      text: "What's your name?",
      input: { kind: "text" },
      attempt: 0,
    };
    expect(turnResponseSchema.parse({ messages: [ask], status: "waiting" }).messages[0]).toMatchObject(ask);
    expect(turnResponseSchema.safeParse({ messages: [ask], status: "thinking" }).success).toBe(false);
    const entry = {
      seq: 3,
      author: "user",
      createdAt: "2026-11-22T00:00:00Z",
      message: { type: "user_text", text: "Ada" },
    };
    expect(transcriptEntrySchema.parse(entry)).toEqual(entry);
  });
});
