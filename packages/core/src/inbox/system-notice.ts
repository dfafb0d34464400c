import type { OutgoingMessage } from "@parley/contract";

/**
 * A line the visitor sees when a person joins or leaves ("An agent joined the conversation"),
 * stored as a system-authored text message so the transcript and the event stream carry it in
 * order with everything else (internal).
 */
export const systemNotice = (text: string): OutgoingMessage => ({
  type: "text",
  nodeId: "",
  text,
  format: "plain",
  source: "system",
});
