"use client";

import type { OutgoingMessage, TurnTrace } from "@parley/engine";
import type { FlowDocument } from "@parley/flow-schema";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";

/** A line of the test conversation. */
type ChatLine = { from: "bot" | "user"; text: string; options?: { label: string; value: string }[] };

/** What the canvas highlights after a test turn. */
export interface TurnHighlight {
  readonly activeNodeId: string | null;
  readonly visited: readonly string[];
}

function linesOf(message: OutgoingMessage): ChatLine[] {
  const m = message as unknown as Record<string, unknown>;
  const text =
    typeof m.text === "string"
      ? m.text
      : m.type === "image"
        ? "[image]"
        : m.type === "card"
          ? `[card] ${String((m.card as { title?: string })?.title ?? "")}`
          : JSON.stringify(m);
  const raw = (m.quickReplies ?? m.options ?? (m.input as { options?: unknown } | undefined)?.options) as
    | { label: string; value?: string }[]
    | undefined;
  return [
    {
      from: "bot",
      text,
      ...(raw?.length ? { options: raw.map((o) => ({ label: o.label, value: o.value ?? o.label })) } : {}),
    },
  ];
}

/**
 * Chat with the draft as it is on the canvas (saved or not): the studio server runs it through the
 * engine with offline ports. After each turn the executed nodes are highlighted and the trace lists
 * the variables that changed.
 */
export function TestChat({
  botId,
  doc,
  canRun,
  onHighlight,
}: {
  botId: string;
  doc: FlowDocument;
  canRun: boolean;
  onHighlight: (highlight: TurnHighlight | null) => void;
}) {
  const trpc = useTRPC();
  const [lines, setLines] = useState<ChatLine[]>([]);
  const [snapshot, setSnapshot] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [trace, setTrace] = useState<TurnTrace | null>(null);
  const [variables, setVariables] = useState<Record<string, unknown>>({});
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const conversationId = useRef(`studio-${Math.random().toString(36).slice(2)}`);
  const turn = useMutation(trpc.flows.testTurn.mutationOptions());

  const send = async (
    event: { type: "conversation.start" } | { type: "user.text"; text: string },
    shown?: string,
  ) => {
    setError(null);
    if (shown) setLines((old) => [...old, { from: "user", text: shown }]);
    try {
      const result = await turn.mutateAsync({
        botId,
        document: doc as unknown as Record<string, unknown>,
        snapshot: (event.type === "conversation.start" ? null : snapshot) as never,
        event,
        conversationId: conversationId.current,
      });
      setSnapshot(result.snapshot);
      setStatus(result.status);
      setTrace(result.trace as TurnTrace);
      setVariables(result.variables);
      setLines((old) => [...old, ...result.messages.flatMap(linesOf)]);
      const visited = result.trace.nodes.map((n) => n.nodeId);
      onHighlight({ activeNodeId: visited.at(-1) ?? null, visited });
    } catch (caught) {
      setError(describeError(caught).message);
    }
  };
  const restart = () => {
    conversationId.current = `studio-${Math.random().toString(36).slice(2)}`;
    setLines([]);
    setTrace(null);
    setVariables({});
    onHighlight(null);
    void send({ type: "conversation.start" });
  };

  return (
    <div className="test-chat" data-testid="test-chat">
      <div className="row">
        <button
          type="button"
          className="small primary"
          onClick={restart}
          disabled={!canRun || turn.isPending}
        >
          {lines.length === 0 ? "Start test conversation" : "Restart"}
        </button>
        {status && <span className="badge">{status}</span>}
      </div>
      {!canRun && <p className="muted">Fix the flow's structure problems to test it.</p>}
      <div className="chat-lines" data-testid="chat-lines">
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a transcript is append-only
          <div key={index} className={`chat-line ${line.from}`}>
            <div className="chat-bubble">{line.text}</div>
            {line.options && (
              <div className="row wrap">
                {line.options.map((option) => (
                  <button
                    key={option.value}
                    type="button"
                    className="small"
                    onClick={() => send({ type: "user.text", text: option.value }, option.label)}
                  >
                    {option.label}
                  </button>
                ))}
              </div>
            )}
          </div>
        ))}
      </div>
      {error && <div className="field-error">{error}</div>}
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (!text.trim() || lines.length === 0) return;
          void send({ type: "user.text", text }, text);
          setText("");
        }}
      >
        <input
          aria-label="Test message"
          placeholder={lines.length === 0 ? "Start first" : "Type a message"}
          value={text}
          onChange={(e) => setText(e.target.value)}
          disabled={lines.length === 0 || status === "ended"}
        />
        <button
          type="submit"
          className="small"
          disabled={turn.isPending || lines.length === 0 || status === "ended"}
        >
          Send
        </button>
      </form>
      {trace && (
        <details open className="trace" data-testid="trace">
          <summary>Trace: {trace.nodes.map((n) => n.nodeId).join(" → ")}</summary>
          {trace.variables.length > 0 ? (
            <table>
              <tbody>
                {trace.variables.map((change, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: trace entries are ordered
                  <tr key={index}>
                    <td>
                      <code>{change.name}</code>
                    </td>
                    <td className="muted">{JSON.stringify(change.before)}</td>
                    <td>→ {JSON.stringify(change.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No variable changed in this turn.</p>
          )}
          {trace.notes.map((note, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: notes are ordered
            <div key={index} className="muted">
              {note.message}
            </div>
          ))}
          <details>
            <summary>All variables</summary>
            <pre>{JSON.stringify(variables, null, 2)}</pre>
          </details>
        </details>
      )}
    </div>
  );
}
