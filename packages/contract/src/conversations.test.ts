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

  it("defaults the author to the user; the channel is left to the service (api for secret keys, web for the widget)", () => {
    expect(sendMessageRequestSchema.parse({ text: "hi" }).author).toBe("user");
    expect(createConversationRequestSchema.parse({}).channel).toBeUndefined();
    expect(createConversationRequestSchema.safeParse({ channel: "fax" }).success).toBe(false);
  });

  it("refuses start variables nested deeper than 32 levels or over 256 KB, naming the variable, without recursion", () => {
    let bomb: unknown = [];
    for (let i = 0; i < 20_000; i++) bomb = [bomb];
    const deep = createConversationRequestSchema.safeParse({ variables: { ok: 1, cart: bomb } });
    expect(deep.success).toBe(false);
    expect(deep.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["variables.cart", "the value is nested deeper than 32 levels"],
    ]);
    const large = createConversationRequestSchema.safeParse({ variables: { note: "x".repeat(300_000) } });
    expect(large.error?.issues[0]?.message).toMatch(/^the variables are larger than 262144 bytes as JSON/);
    let fine: unknown = "leaf";
    for (let i = 0; i < 32; i++) fine = [fine];
    expect(createConversationRequestSchema.safeParse({ variables: { fine } }).success).toBe(true);
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
