import type {
  AskInput,
  Assignment,
  ConditionRule,
  HttpNodeData,
  IntentNodeData,
  KnowledgeNodeData,
  LlmNodeData,
  MessageCard,
  MessageImage,
  NodeKind,
  QuickReply,
  SubflowInput,
  SubflowOutput,
} from "@parley/flow-schema";
import type { MachineActionRef, MachineGuardRef } from "./machine-schema";
import type { ActionName, ActorName, GuardName } from "./names";

/**
 * The JSON params of every named action, guard and actor input: the contract between the
 * compiler (which writes them into machine JSON) and the interpreter (which reads them).
 * `undefined` means the implementation takes no params.
 */
export interface ActionParams {
  enterNode: { node: string; kind: NodeKind };
  initConversation: { declared: string[] };
  say: {
    node: string;
    text?: string;
    image?: MessageImage;
    card?: MessageCard;
    quickReplies?: QuickReply[];
    typingMs?: number;
  };
  resetRetries: undefined;
  countRetry: undefined;
  askPrompt: { node: string; prompt: string; retryPrompt?: string; input: AskInput; typingMs?: number };
  saveAnswer: { node: string; input: AskInput; saveTo: string };
  noteUserMessage: undefined;
  keepPendingMessage: undefined;
  assignValues: { node: string; assignments: Assignment[] };
  scheduleTimer: { node: string; durationMs: number };
  requestTimer: { node: string };
  clearTimer: undefined;
  announceHandoff: {
    node: string;
    message?: string;
    queue?: string;
    reason?: string;
    priority: "low" | "normal" | "high" | "urgent";
  };
  resolveHandoff: undefined;
  recordVariant: { node: string; variant: string };
  assignEffectOutput: { node: string };
  emitEffectMessages: { node: string };
  noteFailure: { node: string; reason?: string };
  sayFallback: { flowId: string; message: string };
  enterSubflow: {
    node: string;
    flowId: string;
    inputs: SubflowInput[];
    defaults: Record<string, unknown>;
    shared: string[];
  };
  exitSubflow: { node: string; outputs: SubflowOutput[]; shared: string[] };
  finishConversation: { node?: string; reason: "completed" | "error"; outcome?: string };
}

/** JSON params of every named guard. */
export interface GuardParams {
  answerIsValid: { input: AskInput };
  canRetry: { maxRetries: number };
  conditionGroupMatches: { match: "all" | "any"; rules: ConditionRule[] };
  /** `variant`: the branch id, matched against an experiment's choice (absent in machines compiled before). */
  abBucketIs: { node: string; flowId: string; from: number; to: number; variant?: string };
  effectHandleIs: { handle: string };
  timerMatches: undefined;
}

/** JSON input of every named actor. */
export interface ActorInputs {
  evaluateAssignments: { node: string; assignments: Assignment[] };
  httpRequest: { node: string } & HttpNodeData;
  llmCall: { node: string; modelRoute: string } & Omit<LlmNodeData, "modelRoute">;
  classifyIntent: { node: string; modelRoute: string; language: string; timeoutMs: number } & Omit<
    IntentNodeData,
    "modelRoute"
  >;
  answerQuestion: { node: string; language: string } & KnowledgeNodeData;
}

// The name lists and the param tables must describe the same implementations.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const namesMatch: [
  Same<ActionName, keyof ActionParams>,
  Same<GuardName, keyof GuardParams>,
  Same<ActorName, keyof ActorInputs>,
] = [true, true, true];
void namesMatch;

type ParamsArg<P> = P extends undefined ? [] : [params: P];

/**
 * Drops top-level `undefined` params (optional node fields), so the machine is JSON as built:
 * the compiler needs no JSON round trip. Nested values come from the parsed document, which is
 * JSON already.
 */
export function jsonParams(params: object): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) result[key] = value;
  return result;
}

/** A typed reference to a named action. */
export function action<N extends ActionName>(
  type: N,
  ...params: ParamsArg<ActionParams[N]>
): MachineActionRef {
  return params.length > 0 ? { type, params: jsonParams(params[0] as object) } : { type };
}

/** A typed reference to a named guard. */
export function guard<N extends GuardName>(type: N, ...params: ParamsArg<GuardParams[N]>): MachineGuardRef {
  return params.length > 0 ? { type, params: jsonParams(params[0] as object) } : { type };
}
