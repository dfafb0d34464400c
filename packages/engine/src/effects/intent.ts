import type { EntityDefinition } from "@parley/flow-schema";
import type { ActorInputs } from "../compile/params";
import { render } from "../interpret/context";
import type { TurnSession } from "../interpret/session";
import type { LlmResponse } from "../ports/llm";
import type { NluEntity, NluResult } from "../ports/nlu";
import { callPort, MissingPortError } from "./call-port";
import { describeError, type EffectOutput, failure } from "./output";

type IntentInput = ActorInputs["classifyIntent"];

/** Patterns of the built-in entity types (regular expression sources, no flags). */
export const builtinEntityPatterns: Readonly<Record<Exclude<EntityDefinition["type"], "list">, string>> = {
  email: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
  phone: "\\+?\\d[\\d\\s().-]{5,}\\d",
  number: "-?\\d+(?:[.,]\\d+)?",
  date: "\\d{4}-\\d{2}-\\d{2}",
  url: "https?://[^\\s]+",
};

function toNluEntity(entity: EntityDefinition): NluEntity {
  if (entity.type === "list") {
    const values: Record<string, string[]> = {};
    for (const item of entity.values) values[item.value] = [item.value, ...item.synonyms];
    return { name: entity.name, values };
  }
  return { name: entity.name, pattern: builtinEntityPatterns[entity.type] };
}

async function classifyWithLlm(
  session: TurnSession,
  input: IntentInput,
  text: string,
  signal: AbortSignal,
): Promise<NluResult> {
  const port = session.ports.llm;
  if (!port) throw new MissingPortError("llm");
  const catalogue = input.intents
    .map(
      (intent) =>
        `- ${intent.name}${intent.description ? `: ${intent.description}` : ""} (e.g. ${intent.examples
          .slice(0, 3)
          .map((example) => JSON.stringify(example))
          .join(", ")})`,
    )
    .join("\n");
  const response = await callPort<LlmResponse>(
    session,
    {
      nodeId: input.node,
      kind: "llm",
      timeoutMs: input.timeoutMs,
      signal,
      describe: (result) => result.model,
    },
    (portSignal) =>
      port.complete(
        {
          route: input.modelRoute,
          messages: [
            {
              role: "system",
              content: `Classify the user's message into one of these intents, or "none":\n${catalogue}\nAnswer with the intent name and your confidence between 0 and 1.`,
            },
            { role: "user", content: text },
          ],
          extract: {
            fields: [
              { name: "intent", type: "string", required: true },
              { name: "confidence", type: "number", required: true },
            ],
          },
        },
        { signal: portSignal },
      ),
  );
  const intent = response.json?.intent;
  const confidence = response.json?.confidence;
  if (typeof intent !== "string" || typeof confidence !== "number") {
    throw new Error("the model did not return an intent and a confidence");
  }
  const known = input.intents.some((candidate) => candidate.name === intent);
  const score = Math.min(1, Math.max(0, confidence));
  return { intent: known && score >= input.threshold ? intent : null, score, entities: [] };
}

/**
 * intent node: classifies the text (default: the last user message) with the nlu port, or the
 * llm port when `classifier` is "llm". The winner at or above the threshold takes its handle;
 * otherwise, and on any failure, `fallback`. Saves the intent and entities when asked.
 */
export async function classifyIntent(
  session: TurnSession,
  input: IntentInput,
  signal: AbortSignal,
): Promise<EffectOutput> {
  const text = render(input.text, session.currentContext()).trim();
  if (text === "") return failure("fallback", "there is no text to classify");
  let result: NluResult;
  try {
    if (input.classifier === "llm") {
      result = await classifyWithLlm(session, input, text, signal);
    } else {
      const port = session.ports.nlu;
      if (!port) throw new MissingPortError("nlu");
      result = await callPort<NluResult>(
        session,
        {
          nodeId: input.node,
          kind: "nlu",
          timeoutMs: input.timeoutMs,
          signal,
          describe: (outcome) => `${outcome.intent ?? "no intent"} (${outcome.score.toFixed(2)})`,
        },
        (portSignal) =>
          port.classify(
            {
              text,
              language: input.language,
              threshold: input.threshold,
              intents: input.intents.map((intent) => ({ name: intent.name, examples: intent.examples })),
              entities: input.entities.map(toNluEntity),
            },
            { signal: portSignal },
          ),
      );
    }
  } catch (error) {
    return failure("fallback", `intent classification failed: ${describeError(error)}`);
  }

  const known = result.intent !== null && input.intents.some((intent) => intent.name === result.intent);
  const winner = known && result.score >= input.threshold ? result.intent : null;
  const vars: Record<string, unknown> = {};
  if (input.saveIntentTo && winner) vars[input.saveIntentTo] = winner;
  for (const entity of input.entities) {
    const match = result.entities.find((found) => found.name === entity.name);
    if (entity.saveTo && match) vars[entity.saveTo] = match.value;
  }
  return {
    handle: winner ?? "fallback",
    vars,
    sys: { lastIntent: winner ?? undefined, lastIntentConfidence: result.score },
  };
}
