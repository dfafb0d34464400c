/**
 * Public entry of @parley/engine: the flow compiler, the turn interpreter, the wire shape of
 * what a turn consumes (what it produces is @parley/contract's `OutgoingMessage`), the ports
 * effects go through, and offline ports for local use. No I/O of its own.
 *
 * ```ts
 * const machine = compile(flowDocument, { subflows });          // store with the published version
 * const turn = await runTurn({ machine, snapshot, event, conversation: { id }, ports });
 * // persist turn.snapshot, deliver turn.messages, schedule turn.timers
 * ```
 */

// Compiling flows into machine JSON.
export type { CompileOptions } from "./compile/compile";
export { compile } from "./compile/compile";
export type { CompileProblem } from "./compile/errors";
export { FlowCompileError } from "./compile/errors";
export { MACHINE_JSON_SCHEMA_ID, machineJsonSchema } from "./compile/json-schema";
export type { MachineJson } from "./compile/machine-schema";
export { machineSchema } from "./compile/machine-schema";
// Expressions.
export type { ExpressionBudget, ExpressionErrorCode } from "./expressions/jsonata";
export {
  checkExpressionSyntax,
  defaultExpressionBudget,
  ExpressionError,
  evaluateExpression,
} from "./expressions/jsonata";
// Running turns.
export { abBucket } from "./interpret/ab-split";
export type { AbSplitChoice } from "./interpret/context";
export { InvalidMachineError } from "./interpret/machine-cache";
export type { TurnResult } from "./interpret/result";
export { turnResultSchema } from "./interpret/result";
export type { ConversationInfo, RunTurnInput } from "./interpret/run-turn";
export { runTurn, TurnInputError } from "./interpret/run-turn";
export type { StreamChunk, TimerRequest, TurnOptions } from "./interpret/session";
export { timerRequestSchema } from "./interpret/session";
export type { PendingTimer, PersistedSnapshot } from "./interpret/snapshot";
export {
  PENDING_TIMER_PATH,
  pendingTimerOf,
  pendingTimerSchema,
  persistedSnapshotSchema,
} from "./interpret/snapshot";
export type { EffectCall, TraceEvent, TraceListener, TurnTrace } from "./interpret/trace";
export { turnTraceSchema } from "./interpret/trace";
// Offline ports for local use and tests.
export type { HttpFixture, MemoryHttp } from "./offline/http";
export { createMemoryHttp, httpFixtureSchema } from "./offline/http";
export type { KnowledgeDocument } from "./offline/knowledge";
export { createMemoryKnowledge, knowledgeDocumentSchema } from "./offline/knowledge";
export { createOfflineLlm, OFFLINE_REPLY, OfflineExtractionError } from "./offline/llm";
export type { OfflineNlu, OfflineNluOptions } from "./offline/nlu";
export { createOfflineNlu } from "./offline/nlu";
// Ports.
export type { HttpPort, HttpRequest, HttpResponse } from "./ports/http";
export { httpRequestSchema, httpResponseSchema } from "./ports/http";
export type { KnowledgeAnswer, KnowledgePort, KnowledgeQuestion } from "./ports/knowledge";
export { knowledgeAnswerSchema, knowledgeQuestionSchema } from "./ports/knowledge";
export type {
  LlmCallOptions,
  LlmExtractField,
  LlmMessage,
  LlmPort,
  LlmRequest,
  LlmResponse,
} from "./ports/llm";
export { llmMessageSchema, llmRequestSchema, llmResponseSchema } from "./ports/llm";
export type { NluEntity, NluEntityMatch, NluIntent, NluPort, NluRequest, NluResult } from "./ports/nlu";
export { nluRequestSchema, nluResultSchema } from "./ports/nlu";
export type { EnginePorts } from "./ports/ports";
export type { ClockPort, LoggerPort, RandomPort } from "./ports/system";
export { silentLogger, systemClock, systemRandom } from "./ports/system";
// Wire shapes: events in. Messages out (`OutgoingMessage`) and citations are @parley/contract's.
export type { TurnEvent, TurnEventInput } from "./protocol/events";
export { turnEventSchema } from "./protocol/events";
export type { VariableBoundsProblem } from "./protocol/variable-bounds";
export { MAX_VARIABLE_DEPTH, MAX_VARIABLE_SIZE, variableBoundsProblem } from "./protocol/variable-bounds";
