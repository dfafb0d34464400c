import { describe, expect, it } from "vitest";
import { slackAdapter } from ".";
import { slackSignature, verifySlackRequest } from "./signature";
import { parseSlackRequest } from "./slack-events";
import { renderSlack } from "./slack-render";
import { slackText } from "./slack-text";

// Slack's documented example ("Verifying requests from Slack"): secret, timestamp, body and signature.
const EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const EXAMPLE_TIMESTAMP = "1531420618";
const EXAMPLE_BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

describe("Slack request signatures (v0)", () => {
  it("reproduces Slack's documented example vector", () => {
    expect(slackSignature(EXAMPLE_SECRET, EXAMPLE_TIMESTAMP, EXAMPLE_BODY)).toBe(EXAMPLE_SIGNATURE);
    const headers = {
      "x-slack-request-timestamp": EXAMPLE_TIMESTAMP,
      "x-slack-signature": EXAMPLE_SIGNATURE,
    };
    expect(
      verifySlackRequest(headers, Buffer.from(EXAMPLE_BODY), EXAMPLE_SECRET, 1531420618_000 + 60_000),
    ).toEqual({
      ok: true,
    });
  });

  it("refuses other bytes, other secrets, stale or future timestamps and missing headers", () => {
    const headers = {
      "x-slack-request-timestamp": EXAMPLE_TIMESTAMP,
      "x-slack-signature": EXAMPLE_SIGNATURE,
    };
    const now = 1531420618_000;
    expect(verifySlackRequest(headers, Buffer.from(`${EXAMPLE_BODY} `), EXAMPLE_SECRET, now).ok).toBe(false);
    expect(verifySlackRequest(headers, Buffer.from(EXAMPLE_BODY), "other", now).ok).toBe(false);
    expect(
      verifySlackRequest(headers, Buffer.from(EXAMPLE_BODY), EXAMPLE_SECRET, now + 301_000),
    ).toMatchObject({
      ok: false,
      status: 401,
      reason: expect.stringContaining("stale"),
    });
    expect(verifySlackRequest(headers, Buffer.from(EXAMPLE_BODY), EXAMPLE_SECRET, now - 301_000).ok).toBe(
      false,
    );
    expect(verifySlackRequest({}, Buffer.from(EXAMPLE_BODY), EXAMPLE_SECRET, now).ok).toBe(false);
  });
});

describe("Slack events", () => {
  const request = (body: unknown) => ({
    method: "POST" as const,
    headers: { "content-type": "application/json" },
    query: {},
    rawBody: Buffer.from(JSON.stringify(body)),
  });

  it("takes mentions in channels (in a thread) and direct messages, ignoring the same message's channel event", () => {
    const mention = parseSlackRequest(
      request({
        type: "event_callback",
        event_id: "Ev1",
        event: { type: "app_mention", user: "U1", text: "<@UBOT> hello", channel: "C1", ts: "10.5" },
      }),
    );
    expect(mention).toEqual([
      expect.objectContaining({
        kind: "message",
        text: "hello",
        threadId: "C1:10.5",
        replyContext: { channel: "C1", thread_ts: "10.5" },
      }),
    ]);
    const channelMessage = parseSlackRequest(
      request({
        type: "event_callback",
        event_id: "Ev2",
        event: { type: "message", user: "U1", text: "hi", channel: "C1", channel_type: "channel", ts: "1" },
      }),
    );
    expect(channelMessage[0]?.kind).toBe("ignored");
  });

  const callback = (eventId: string, event: Record<string, unknown>) =>
    parseSlackRequest(request({ type: "event_callback", event_id: eventId, event }), { botUserId: "UBOT" });

  it("takes direct messages (message.im) as their own conversation, whatever the thread", () => {
    expect(
      callback("Ev3", {
        type: "message",
        channel_type: "im",
        user: "U1",
        text: "hey",
        channel: "D1",
        ts: "5.1",
      }),
    ).toEqual([
      expect.objectContaining({
        kind: "message",
        text: "hey",
        threadId: "D1",
        replyContext: { channel: "D1" },
      }),
    ]);
    const [message] = callback("Ev3b", {
      type: "message",
      channel_type: "im",
      user: "U1",
      text: "more",
      channel: "D1",
      ts: "6.1",
    });
    expect(message).toMatchObject({ threadId: "D1" });
    expect(message).not.toHaveProperty("continuesOnly");
  });

  it("takes replies in channel threads: continuing an open conversation, or starting one in the bot's own thread", () => {
    const reply = callback("Ev4", {
      type: "message",
      channel_type: "channel",
      user: "U1",
      text: "large please",
      channel: "C1",
      ts: "12.0",
      thread_ts: "10.5",
      parent_user_id: "U1",
    });
    // Same thread id as the mention that opened the thread (C1:10.5), so the conversation continues.
    expect(reply).toEqual([
      expect.objectContaining({
        kind: "message",
        text: "large please",
        threadId: "C1:10.5",
        replyContext: { channel: "C1", thread_ts: "10.5" },
        continuesOnly: true,
      }),
    ]);
    const [inBotThread] = callback("Ev5", {
      type: "message",
      channel_type: "channel",
      user: "U1",
      text: "yes",
      channel: "C1",
      ts: "13.0",
      thread_ts: "11.0",
      parent_user_id: "UBOT",
    });
    expect(inBotThread).toMatchObject({ kind: "message", threadId: "C1:11.0" });
    expect(inBotThread).not.toHaveProperty("continuesOnly");
  });

  it("ignores a thread reply that mentions the bot (its app_mention is answered), the bot's own and bots' messages, edits and noise", () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          type: "message",
          channel_type: "channel",
          user: "U1",
          text: "<@UBOT> again",
          channel: "C1",
          ts: "14",
          thread_ts: "10.5",
        },
        "unsupported",
      ],
      [{ type: "message", channel_type: "im", user: "UBOT", text: "echo", channel: "D1", ts: "15" }, "bot"],
      [
        { type: "message", channel_type: "im", bot_id: "B9", text: "other bot", channel: "D1", ts: "16" },
        "bot",
      ],
      [
        { type: "message", channel_type: "im", subtype: "bot_message", text: "x", channel: "D1", ts: "17" },
        "bot",
      ],
      [
        {
          type: "message",
          channel_type: "im",
          subtype: "message_changed",
          channel: "D1",
          ts: "18",
          message: { text: "y" },
        },
        "edit",
      ],
      [{ type: "message", channel_type: "im", subtype: "message_deleted", channel: "D1", ts: "19" }, "edit"],
      [
        {
          type: "message",
          channel_type: "channel",
          subtype: "channel_join",
          user: "U2",
          channel: "C1",
          ts: "20",
        },
        "unsupported",
      ],
      [
        { type: "message", channel_type: "channel", user: "U2", text: "lunch?", channel: "C1", ts: "21" },
        "unsupported",
      ],
    ];
    for (const [event, why] of cases) {
      expect(callback(`Ev-${event.ts}`, event), JSON.stringify(event)).toEqual([
        { kind: "ignored", eventId: `Ev-${event.ts}`, why },
      ]);
    }
    // A file shared in a direct message is something the person said.
    const [shared] = callback("Ev22", {
      type: "message",
      channel_type: "im",
      subtype: "file_share",
      user: "U1",
      text: "menu",
      channel: "D1",
      ts: "22",
      files: [{ url_private: "https://files.slack.com/m.pdf", name: "m.pdf", mimetype: "application/pdf" }],
    });
    expect(shared).toMatchObject({
      kind: "message",
      attachments: [{ type: "file", url: "https://files.slack.com/m.pdf", name: "m.pdf" }],
    });
  });

  it("answers url_verification only as a handshake", () => {
    const connection = {
      channelId: "c",
      credentials: { botToken: "x", signingSecret: "y" },
      settings: {},
      webhookUrl: "",
    };
    expect(
      slackAdapter.handshake(request({ type: "url_verification", challenge: "abc" }), connection),
    ).toEqual({
      status: 200,
      body: '{"challenge":"abc"}',
      contentType: "application/json",
    });
    expect(slackAdapter.handshake(request({ type: "event_callback" }), connection)).toBeNull();
  });
});

describe("Slack rendering", () => {
  const target = {
    threadId: "C1:10.5",
    externalUserId: "U1",
    replyContext: { channel: "C1", thread_ts: "10.5" },
  };

  it("converts markdown to mrkdwn and escapes plain text", () => {
    expect(slackText("**bold** and [a link](https://example.com)", "markdown")).toContain(
      "<https://example.com|a link>",
    );
    expect(slackText("**bold**", "markdown")).toContain("*bold*");
    expect(slackText("a < b & c")).toBe("a &lt; b &amp; c");
  });

  it("maps quick replies to Block Kit buttons, images to image blocks, cards to sections with buttons, in the thread", () => {
    const calls = renderSlack(
      [
        { type: "quick_replies", nodeId: "n", text: "Size?", replies: [{ label: "Small", value: "s" }] },
        { type: "image", nodeId: "n", url: "https://img.test/a.png", alt: "A" },
        {
          type: "card",
          nodeId: "n",
          title: "Pizza",
          subtitle: "Large",
          imageUrl: "https://img.test/p.png",
          buttons: [
            { label: "Order", value: "order" },
            { label: "Menu", url: "https://menu.test" },
          ],
        },
        { type: "typing", nodeId: "n", durationMs: 10 },
      ],
      target,
    );
    expect(calls.map((c) => c.kind)).toEqual(["blocks", "image", "blocks"]);
    const [choices, image, card] = calls.map(
      (c) =>
        c.body as { channel: string; thread_ts: string; blocks: { type: string; elements?: unknown[] }[] },
    );
    expect(choices).toMatchObject({ channel: "C1", thread_ts: "10.5" });
    expect(choices?.blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: "parley_0",
          text: { type: "plain_text", text: "Small", emoji: true },
          value: "s",
        },
      ],
    });
    expect(image?.blocks[0]).toMatchObject({
      type: "image",
      image_url: "https://img.test/a.png",
      alt_text: "A",
    });
    expect(card?.blocks[1]?.elements).toEqual([
      expect.objectContaining({ value: "order" }),
      expect.objectContaining({ url: "https://menu.test" }),
    ]);
  });
});
