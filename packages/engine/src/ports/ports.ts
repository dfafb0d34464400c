import type { HttpPort } from "./http";
import type { KnowledgePort } from "./knowledge";
import type { LlmPort } from "./llm";
import type { NluPort } from "./nlu";
import type { ClockPort, LoggerPort, RandomPort } from "./system";

/**
 * Everything the engine may touch outside itself. The engine has no I/O of its own:
 * each effect node calls exactly one of these, under a timeout, and a rejection takes the
 * node's error branch. Ports a flow does not use may be omitted; a node whose port is missing
 * fails like any other effect (error branch, then fallback).
 */
export interface EnginePorts {
  llm?: LlmPort;
  http?: HttpPort;
  nlu?: NluPort;
  knowledge?: KnowledgePort;
  /** Defaults to the system clock. */
  clock?: ClockPort;
  /** Defaults to `Math.random`. */
  random?: RandomPort;
  /** Defaults to a silent logger. */
  logger?: LoggerPort;
}
