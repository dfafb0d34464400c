import type { LlmExtractField as FlowExtractField } from "@parley/flow-schema";
import type { ActorInputs } from "../compile/params";
import { render } from "../interpret/context";
import type { TurnSession } from "../interpret/session";
import type { LlmMessage, LlmRequest, LlmResponse } from "../ports/llm";
import { callPort, MissingPortError } from "./call-port";
import { knownNamesOf } from "./known-names";
import { describeError, type EffectOutput, failure } from "./output";

type LlmInput = ActorInputs["llmCall"];

/** Checks an extracted value against the field's declared type; returns the value to save. */
function coerceField(field: FlowExtractField, value: unknown): { ok: true; value: unknown } | { ok: false } {
  switch (field.type) {
    case "string":
      return typeof value === "string" ? { ok: true, value } : { ok: false };
    case "number": {
      if (typeof value === "number" && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return { ok: true, value: Number(value) };
      }
      return { ok: false };
    }
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : { ok: false };
    case "date":
      return typeof value === "string" && !Number.isNaN(Date.parse(value))
        ? { ok: true, value }
        : { ok: false };
    case "list":
      return Array.isArray(value) ? { ok: true, value } : { ok: false };
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value)
        ? { ok: true, value }
        : { ok: false };
  }
}

function extractedObject(response: LlmResponse): Record<string, unknown> | undefined {
  if (response.json) return response.json;
  try {
    const parsed = JSON.parse(response.text) as unknown;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The messages sent to the model: system prompt, the last `historyWindow` messages, the prompt. */
export function buildLlmMessages(
  session: TurnSession,
  prompt: string,
  systemPrompt: string | undefined,
  historyWindow: number,
): LlmMessage[] {
  const context = session.currentContext();
  const messages: LlmMessage[] = [];
  if (systemPrompt) messages.push({ role: "system", content: render(systemPrompt, context) });
  if (historyWindow > 0) messages.push(...session.transcript.slice(-historyWindow));
  messages.push({ role: "user", content: render(prompt, context) });
  return messages;
}

/**
 * llm node. Reply mode sends the answer (relaying tokens through `onStream` when the node
 * streams) and may save it; extract mode asks for JSON fields, checks their types and saves
 * them, failing on a missing required field or a mismatch. Failures take `error`.
 */
export async function llmCall(
  session: TurnSession,
  input: LlmInput,
  signal: AbortSignal,
): Promise<EffectOutput> {
  const port = session.ports.llm;
  const { mode } = input;
  const request: LlmRequest = {
    route: input.modelRoute,
    messages: buildLlmMessages(session, input.prompt, input.systemPrompt, input.historyWindow),
    ...(mode.type === "extract"
      ? {
          extract: {
            fields: mode.fields.map((field) => ({
              name: field.variable,
              type: field.type,
              description: field.description,
              required: field.required,
            })),
          },
        }
      : {}),
    ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    ...(input.maxTokens !== undefined ? { maxTokens: input.maxTokens } : {}),
  };
  const onStream = session.onStream;
  const streaming = mode.type === "reply" && mode.stream && onStream !== undefined;
  const knownNames = knownNamesOf(session.currentContext());

  let response: LlmResponse;
  try {
    if (!port) throw new MissingPortError("llm");
    response = await callPort(
      session,
      {
        nodeId: input.node,
        kind: "llm",
        timeoutMs: input.timeoutMs,
        signal,
        describe: (result) => result.model,
      },
      (portSignal) =>
        port.complete(request, {
          signal: portSignal,
          ...(knownNames.length > 0 ? { knownNames } : {}),
          ...(streaming ? { onToken: (token: string) => onStream({ nodeId: input.node, token }) } : {}),
        }),
    );
  } catch (error) {
    return failure("error", `model call failed: ${describeError(error)}`);
  }

  if (mode.type === "reply") {
    const text = response.text.trim();
    if (text === "") return failure("error", "the model returned an empty reply");
    return {
      handle: "next",
      ...(mode.saveTo ? { vars: { [mode.saveTo]: text } } : {}),
      messages: [{ type: "text", nodeId: input.node, text, format: "markdown", source: "llm" }],
    };
  }

  const extracted = extractedObject(response);
  if (!extracted) return failure("error", "the model did not return a JSON object");
  const vars: Record<string, unknown> = {};
  for (const field of mode.fields) {
    const raw = extracted[field.variable];
    if (raw === undefined || raw === null) {
      if (field.required)
        return failure("error", `the model did not extract required field ${field.variable}`);
      continue;
    }
    const coerced = coerceField(field, raw);
    if (!coerced.ok) return failure("error", `extracted ${field.variable} is not a ${field.type}`);
    vars[field.variable] = coerced.value;
  }
  return { handle: "next", vars };
}
