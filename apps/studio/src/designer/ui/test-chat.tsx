"use client";

import type { OutgoingMessage } from "@parley/contract";
import { askDisplay } from "@parley/contract/ask-display";
import type { TurnTrace } from "@parley/engine";
import type { FlowDocument } from "@parley/flow-schema";
import { TextField } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";

/** A line of the test conversation (system lines: handoff, end of the conversation). */
type ChatLine = {
  from: "bot" | "user" | "system";
  text: string;
  /** A question's retry notice, shown before its text. */
  notice?: string;
  /** A question's expected answer, shown under it. */
  hint?: string;
  options?: { label: string; value: string }[];
};

/** What the canvas highlights after a test turn. */
export interface TurnHighlight {
  readonly activeNodeId: string | null;
  readonly visited: readonly string[];
}

/** How the test chat shows a bot message (typing indicators are not shown: the turn is instant here). */
function linesOf(message: OutgoingMessage): ChatLine[] {
  switch (message.type) {
    case "text":
      return [{ from: "bot", text: message.text }];
    case "image":
      return [{ from: "bot", text: `[image] ${message.alt ?? message.url}` }];
    case "card": {
      const options = message.buttons
        .filter((button) => button.value !== undefined)
        .map((button) => ({ label: button.label, value: button.value as string }));
      return [
        {
          from: "bot",
          text: [message.title, message.subtitle].filter(Boolean).join("\n"),
          ...(options.length > 0 ? { options } : {}),
        },
      ];
    }
    case "quick_replies":
      return [{ from: "bot", text: message.text ?? "Choose one:", options: message.replies }];
    case "ask": {
      // The widget's words (see @parley/contract/ask-display): a retry's notice, the question, the hint once.
      const choices = message.input.choices ?? [];
      const display = askDisplay(message);
      return [
        {
          from: "bot",
          text: display.text,
          ...(display.notice ? { notice: display.notice } : {}),
          ...(display.hint ? { hint: display.hint } : {}),
          ...(choices.length > 0 ? { options: choices } : {}),
        },
      ];
    }
    case "typing":
      return [];
    case "handoff":
      return [
        ...(message.text ? [{ from: "bot" as const, text: message.text }] : []),
        {
          from: "system",
          text: `Handed over to a human agent${message.queue ? ` (${message.queue})` : ""}.`,
        },
      ];
    case "end":
      return [
        ...(message.text ? [{ from: "bot" as const, text: message.text }] : []),
        {
          from: "system",
          text:
            message.reason === "error"
              ? "The conversation ended after an error."
              : `The conversation ended${message.outcome ? ` (${message.outcome})` : ""}.`,
        },
      ];
  }
}

/** The part of a turn's trace the panel shows; filled step by step while the turn runs. */
type ShownTrace = {
  nodes: TurnTrace["nodes"];
  /** As JSON carries them: a value that was undefined is absent. */
  variables: { nodeId: string | null; name: string; before?: unknown; after?: unknown }[];
  notes: TurnTrace["notes"];
};

/**
 * Chat with the draft as it is on the canvas (saved or not): the studio server runs it through the
 * engine with offline ports and streams the turn's steps. Each node is highlighted on the canvas as
 * the turn enters it, and the trace lists the variables as they change; the complete trace replaces
 * the live one when the turn is over.
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
  const [trace, setTrace] = useState<ShownTrace | null>(null);
  const [variables, setVariables] = useState<Record<string, unknown>>({});
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const conversationId = useRef(`studio-${Math.random().toString(36).slice(2)}`);
  const turn = useMutation(trpc.flows.testTurn.mutationOptions());

  const send = async (
    event: { type: "conversation.start" } | { type: "user.text"; text: string },
    shown?: string,
  ) => {
    setError(null);
    setRunning(true);
    if (shown) setLines((old) => [...old, { from: "user", text: shown }]);
    const live: ShownTrace = { nodes: [], variables: [], notes: [] };
    setTrace(live);
    let messagesShown = 0;
    try {
      const events = await turn.mutateAsync({
        botId,
        document: doc as unknown as Record<string, unknown>,
        snapshot: (event.type === "conversation.start" ? null : snapshot) as never,
        event,
        conversationId: conversationId.current,
      });
      for await (const step of events) {
        if (step.type === "node") {
          live.nodes.push({ nodeId: step.nodeId, kind: step.kind, at: step.at, durationMs: 0 });
          const visited = live.nodes.map((n) => n.nodeId);
          onHighlight({ activeNodeId: step.nodeId, visited });
          setTrace({ ...live, nodes: [...live.nodes] });
        } else if (step.type === "variable") {
          const { type: _, ...change } = step;
          live.variables.push(change);
          setVariables((old) => ({ ...old, [step.name]: step.after }));
          setTrace({ ...live, variables: [...live.variables] });
        } else if (step.type === "message") {
          messagesShown += 1;
          setLines((old) => [...old, ...linesOf(step.message)]);
        } else if (step.type === "done") {
          const { result } = step;
          setSnapshot(result.snapshot);
          setStatus(result.status);
          setTrace(result.trace);
          setVariables(result.variables);
          // Every message came as an event already; anything not relayed still shows.
          const rest = result.messages.slice(messagesShown);
          if (rest.length > 0) setLines((old) => [...old, ...rest.flatMap(linesOf)]);
          const visited = result.trace.nodes.map((n) => n.nodeId);
          onHighlight({ activeNodeId: visited.at(-1) ?? null, visited });
        } else {
          setError(step.message);
        }
      }
    } catch (caught) {
      setError(describeError(caught).message);
    } finally {
      setRunning(false);
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
        <button type="button" className="small primary" onClick={restart} disabled={!canRun || running}>
          {lines.length === 0 ? "Start test conversation" : "Restart"}
        </button>
        {running ? (
          <span className="badge" data-testid="turn-running">
            running…
          </span>
        ) : (
          status && <span className="badge">{status}</span>
        )}
      </div>
      {!canRun && <p className="muted">Fix the flow's structure problems to test it.</p>}
      <div className="chat-lines" data-testid="chat-lines">
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a transcript is append-only
          <div key={index} className={`chat-line ${line.from}`}>
            <div className="chat-bubble">
              {line.notice && (
                <div className="ask-notice" data-testid="ask-notice">
                  {line.notice}
                </div>
              )}
              {line.text}
            </div>
            {line.hint && (
              <div className="field-help" data-testid="ask-hint">
                {line.hint}
              </div>
            )}
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
        <TextField.Root
          style={{ flex: 1, minWidth: 0 }}
          aria-label="Test message"
          placeholder={lines.length === 0 ? "Start first" : "Type a message"}
          value={text}
          onChange={(e) => setText(e.target.value)}
          disabled={lines.length === 0 || status === "ended"}
        />
        <button
          type="submit"
          className="small"
          disabled={running || lines.length === 0 || status === "ended"}
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
