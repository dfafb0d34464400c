import type { OutgoingMessage } from "@parley/contract";
import { lookupPath } from "@parley/flow-schema";
import { type AnyEventObject, assign } from "xstate";
import type { ActionName } from "../compile/names";
import type { ActionParams } from "../compile/params";
import { staticValue } from "../effects/assignments";
import { describeError } from "../effects/output";
import { redactAddresses } from "../effects/redact-addresses";
import { describeAskInput } from "./answers/describe-input";
import { answerText, parseAnswer } from "./answers/parse-answer";
import { type Bookkeeping, type FlowContext, render, scopeOf } from "./context";
import { effectOutputOf, errorOf, userAnswerOf } from "./events";
import { emit, sessionOf, type TurnSession } from "./session";

/** Thrown when a turn enters more nodes than allowed: a loop that never waits. */
export class VisitBudgetError extends Error {
  override readonly name = "VisitBudgetError";
}

interface ActionArgs {
  context: FlowContext;
  event: AnyEventObject;
  session: TurnSession;
}

/** A context update (XState `assign`) with the turn session at hand. */
function update<N extends ActionName>(
  run: (args: ActionArgs, params: ActionParams[N]) => Partial<FlowContext>,
) {
  // XState's assign generics cannot express "params differ per name"; the params table does.
  return assign<FlowContext, AnyEventObject, ActionParams[N] & {}, AnyEventObject, never>(
    ({ context, event, system }, params) =>
      run({ context, event, session: sessionOf(system) }, params as ActionParams[N]),
  );
}

/** A side effect (messages, trace, timers) with the turn session at hand. */
function effect<N extends ActionName>(run: (args: ActionArgs, params: ActionParams[N]) => void) {
  return (
    { context, event, system }: { context: FlowContext; event: AnyEventObject; system: unknown },
    params: unknown,
  ) => run({ context, event, session: sessionOf(system) }, params as ActionParams[N]);
}

/** Merges `changes` into the variables, recording each change in the trace. */
function withVariables(
  session: TurnSession,
  context: FlowContext,
  nodeId: string | null,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const vars = { ...context.vars };
  for (const [name, after] of Object.entries(changes)) {
    const before = vars[name];
    if (before === after) continue;
    vars[name] = after;
    session.trace.variable(nodeId, name, before, after);
  }
  return vars;
}

/** Bookkeeping without some keys (absent keys keep the persisted snapshot small). */
function without(rt: Bookkeeping, ...keys: (keyof Bookkeeping)[]): Bookkeeping {
  const next = { ...rt };
  for (const key of keys) delete next[key];
  return next;
}

function typing(session: TurnSession, nodeId: string, durationMs: number | undefined): void {
  if (durationMs) emit(session, { type: "typing", nodeId, durationMs });
}

/**
 * The action implementations, one per name in `actionNames`. Context updates are `assign`s;
 * side effects push to the turn session and never touch the context.
 */
export const actionImplementations: { [N in ActionName]: unknown } = {
  enterNode: effect<"enterNode">(({ session }, { node, kind }) => {
    session.visits += 1;
    if (session.visits > session.options.maxNodeVisits) {
      throw new VisitBudgetError(
        `more than ${session.options.maxNodeVisits} nodes in one turn (at ${node}): the flow loops without waiting`,
      );
    }
    session.trace.enterNode(node, kind);
  }),

  initConversation: update<"initConversation">(({ context, event, session }, { declared }) => {
    const given = (event.variables ?? {}) as Record<string, unknown>;
    const accepted: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(given)) {
      if (declared.includes(name)) accepted[name] = value;
      else session.trace.note(null, `start variable "${name}" is not declared by the flow and was ignored`);
    }
    return { vars: withVariables(session, context, null, accepted) };
  }),

  say: effect<"say">(({ context, session }, params) => {
    const { node } = params;
    typing(session, node, params.typingMs);
    if (params.text !== undefined) {
      emit(session, {
        type: "text",
        nodeId: node,
        text: render(params.text, context),
        format: "plain",
        source: "flow",
      });
    }
    if (params.image) {
      const alt = params.image.alt !== undefined ? render(params.image.alt, context) : undefined;
      emit(session, {
        type: "image",
        nodeId: node,
        url: render(params.image.url, context, encodeURIComponent),
        ...(alt ? { alt } : {}),
      });
    }
    if (params.card) {
      const { card } = params;
      const subtitle = card.subtitle !== undefined ? render(card.subtitle, context) : undefined;
      emit(session, {
        type: "card",
        nodeId: node,
        title: render(card.title, context),
        ...(subtitle ? { subtitle } : {}),
        ...(card.imageUrl ? { imageUrl: render(card.imageUrl, context, encodeURIComponent) } : {}),
        buttons: card.buttons.map((button) =>
          button.url !== undefined
            ? { label: button.label, url: render(button.url, context, encodeURIComponent) }
            : { label: button.label, value: button.value ?? button.label },
        ),
      });
    }
    if (params.quickReplies && params.quickReplies.length > 0) {
      emit(session, {
        type: "quick_replies",
        nodeId: node,
        replies: params.quickReplies.map((reply) => ({
          label: reply.label,
          value: reply.value ?? reply.label,
        })),
      });
    }
  }),

  resetRetries: update<"resetRetries">(({ context }) => ({ rt: without(context.rt, "retries") })),

  countRetry: update<"countRetry">(({ context }) => ({
    rt: { ...context.rt, retries: (context.rt.retries ?? 0) + 1 },
  })),

  askPrompt: effect<"askPrompt">(({ context, session }, params) => {
    const attempt = context.rt.retries ?? 0;
    typing(session, params.node, params.typingMs);
    const template = attempt > 0 && params.retryPrompt ? params.retryPrompt : params.prompt;
    emit(session, {
      type: "ask",
      nodeId: params.node,
      text: render(template, context),
      input: describeAskInput(params.input),
      attempt,
    });
  }),

  saveAnswer: update<"saveAnswer">(({ context, event, session }, { node, input, saveTo }) => {
    const answer = userAnswerOf(event);
    const result = parseAnswer(input, answer);
    // The guard accepted this answer; parsing is pure, so it cannot differ here.
    const value = result.ok ? result.value : answerText(answer);
    return {
      vars: withVariables(session, context, node, { [saveTo]: value }),
      sys: { ...context.sys, lastUserMessage: answerText(answer) },
      rt: without(context.rt, "retries", "pending"),
    };
  }),

  noteUserMessage: update<"noteUserMessage">(({ context, event }) => ({
    sys: { ...context.sys, lastUserMessage: answerText(userAnswerOf(event)) },
    rt: without(context.rt, "pending"),
  })),

  keepPendingMessage: update<"keepPendingMessage">(({ context, event, session }) => {
    const text = answerText(userAnswerOf(event));
    session.trace.note(null, "message received during a wait: kept for the next question");
    return { sys: { ...context.sys, lastUserMessage: text }, rt: { ...context.rt, pending: text } };
  }),

  assignValues: update<"assignValues">(({ context, session }, { node, assignments }) => {
    let current = context;
    for (const assignment of assignments) {
      const value = staticValue(assignment, current);
      current = { ...current, vars: withVariables(session, current, node, { [assignment.variable]: value }) };
    }
    return { vars: current.vars };
  }),

  scheduleTimer: update<"scheduleTimer">(({ context, session }, { node, durationMs }) => {
    const dueAt = session.ports.clock.now() + durationMs;
    return { rt: { ...context.rt, timer: { id: `${node}@${dueAt}`, dueAt } } };
  }),

  requestTimer: effect<"requestTimer">(({ context, session }, { node }) => {
    const timer = context.rt.timer;
    if (timer) session.timers.push({ timerId: timer.id, dueAt: timer.dueAt, nodeId: node });
  }),

  clearTimer: update<"clearTimer">(({ context }) => ({ rt: without(context.rt, "timer") })),

  announceHandoff: effect<"announceHandoff">(({ context, session }, params) => {
    const text = params.message !== undefined ? render(params.message, context) : undefined;
    const reason = params.reason !== undefined ? render(params.reason, context) : undefined;
    emit(session, {
      type: "handoff",
      nodeId: params.node,
      priority: params.priority,
      ...(text ? { text } : {}),
      ...(params.queue ? { queue: params.queue } : {}),
      ...(reason ? { reason } : {}),
    });
  }),

  resolveHandoff: update<"resolveHandoff">(({ context, event, session }) => {
    const given = (event.variables ?? {}) as Record<string, unknown>;
    return { vars: withVariables(session, context, null, given) };
  }),

  recordVariant: effect<"recordVariant">(({ session }, { node, variant }) => {
    session.trace.note(node, `ab-split variant ${variant}`);
  }),

  assignEffectOutput: update<"assignEffectOutput">(({ context, event, session }, { node }) => {
    const output = effectOutputOf(event);
    if (!output) return {};
    if (output.sys?.lastError) session.trace.note(node, `failed: ${output.sys.lastError}`);
    return {
      vars: output.vars ? withVariables(session, context, node, output.vars) : context.vars,
      sys: output.sys ? { ...context.sys, ...output.sys } : context.sys,
    };
  }),

  emitEffectMessages: effect<"emitEffectMessages">(({ event, session }) => {
    for (const message of effectOutputOf(event)?.messages ?? []) emit(session, message as OutgoingMessage);
  }),

  noteFailure: update<"noteFailure">(({ context, event, session }, { node, reason }) => {
    const output = effectOutputOf(event);
    const error = errorOf(event);
    const why = redactAddresses(
      reason ??
        output?.sys?.lastError ??
        (error !== undefined ? describeError(error) : `unexpected result of ${node}`),
    );
    session.trace.note(node, `failed: ${why}`);
    return { sys: { ...context.sys, lastError: why } };
  }),

  sayFallback: effect<"sayFallback">(({ context, session }, { message }) => {
    const text = render(message, context).trim();
    if (text) emit(session, { type: "text", nodeId: "", text, format: "plain", source: "system" });
  }),

  enterSubflow: update<"enterSubflow">(({ context, session }, { node, flowId, inputs, defaults, shared }) => {
    const scope = scopeOf(context);
    const vars: Record<string, unknown> = { ...defaults };
    for (const name of shared) if (name in context.vars) vars[name] = context.vars[name];
    for (const input of inputs) vars[input.child] = lookupPath(scope, input.parent);
    session.trace.note(node, `entering subflow ${flowId}`);
    const frame = { vars: context.vars, ...(context.rt.flowId ? { flowId: context.rt.flowId } : {}) };
    return { vars, rt: { ...context.rt, stack: [...(context.rt.stack ?? []), frame], flowId } };
  }),

  exitSubflow: update<"exitSubflow">(({ context, session }, { node, outputs, shared }) => {
    const stack = context.rt.stack ?? [];
    const frame = stack.at(-1);
    if (!frame) return {};
    const changes: Record<string, unknown> = {};
    for (const name of shared) if (name in context.vars) changes[name] = context.vars[name];
    for (const output of outputs) changes[output.parent] = context.vars[output.child];
    const vars = withVariables(session, { ...context, vars: frame.vars }, node, changes);
    const rest = stack.slice(0, -1);
    const rt = without(context.rt, "stack", "flowId");
    if (rest.length > 0) rt.stack = rest;
    if (frame.flowId) rt.flowId = frame.flowId;
    return { vars, rt };
  }),

  finishConversation: effect<"finishConversation">(({ session }, { node, reason, outcome }) => {
    emit(session, { type: "end", nodeId: node ?? "", reason, ...(outcome ? { outcome } : {}) });
  }),
};
