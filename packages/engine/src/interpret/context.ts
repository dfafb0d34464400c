import { lookupPath, type ParsedTemplate, parseTemplate, stringifyTemplateValue } from "@parley/flow-schema";

/**
 * Facts about the conversation the caller passes on every turn (not persisted: they are
 * merged into the context while the turn runs and stripped before the snapshot is persisted).
 */
export interface TurnEnv {
  conversationId: string;
  flowId: string;
  botId?: string;
  channel?: string;
  contactId?: string;
  contactName?: string;
  language?: string;
  /** Time at the start of the turn (epoch ms; templates read it as ISO 8601 `sys.now`). */
  now: number;
  /** An experiment's assignment: the root flow's ab-split node `nodeId` takes branch `variant`. */
  abSplitChoice?: AbSplitChoice;
}

/** The branch an experiment assigned a conversation at one ab-split node of the root flow (see {@link TurnEnv}). */
export interface AbSplitChoice {
  nodeId: string;
  variant: string;
}

/** The caller's variables before entering a subflow. */
export interface SubflowFrame {
  /** Flow id of the caller when it is itself a subflow; absent for the root flow. */
  flowId?: string;
  vars: Record<string, unknown>;
}

/** Engine bookkeeping carried between turns; never visible to templates. */
export interface Bookkeeping {
  /** Invalid answers so far at the current ask. */
  retries?: number;
  /** The timer the current wait node waits for. */
  timer?: { id: string; dueAt: number };
  /** A user message received during a wait, kept for the next ask. */
  pending?: string;
  /** Callers' variables, innermost last, while inside subflows. */
  stack?: SubflowFrame[];
  /** Id of the subflow being run; absent at the root. */
  flowId?: string;
}

/** Persisted system values, readable as `sys.<name>`. */
export interface SystemValues {
  lastUserMessage?: string;
  lastIntent?: string;
  lastIntentConfidence?: number;
  lastError?: string;
  /** Outcome of the end node that finished the conversation. */
  outcome?: string;
}

/** The machine context. Everything but `env` is persisted, so it is kept small. */
export interface FlowContext {
  vars: Record<string, unknown>;
  sys: SystemValues;
  rt: Bookkeeping;
  env?: TurnEnv;
}

const scopes = new WeakMap<FlowContext, Record<string, unknown>>();
const systemScopes = new WeakMap<FlowContext, Record<string, unknown>>();

/** The `sys` object templates and rules read: per-turn facts, persisted system values, flow id. */
function systemScopeOf(context: FlowContext): Record<string, unknown> {
  let sys = systemScopes.get(context);
  if (!sys) {
    const env = context.env;
    sys = {
      ...env,
      ...(env ? { now: new Date(env.now).toISOString() } : {}),
      ...context.sys,
      flowId: context.rt.flowId ?? env?.flowId,
    };
    systemScopes.set(context, sys);
  }
  return sys;
}

/**
 * What templates and expressions read: the current flow's variables plus `sys`.
 * Contexts are immutable, so the object is built once per context.
 */
export function scopeOf(context: FlowContext): Record<string, unknown> {
  let scope = scopes.get(context);
  if (!scope) {
    scope = { ...context.vars, sys: systemScopeOf(context) };
    scopes.set(context, scope);
  }
  return scope;
}

/** One `sys.<name>` value, without building the whole `sys` object. */
function systemValue(context: FlowContext, name: string): unknown {
  if (name === "flowId") return context.rt.flowId ?? context.env?.flowId;
  if (Object.hasOwn(context.sys, name)) return context.sys[name as keyof SystemValues];
  const env = context.env;
  if (!env || !Object.hasOwn(env, name)) return undefined;
  return name === "now" ? new Date(env.now).toISOString() : env[name as keyof TurnEnv];
}

/**
 * Reads a variable path (`order.size`, `sys.channel`, or its segments) from the context
 * without building the whole scope: rules run on every eventless step and templates on every
 * message, so this stays allocation-free. Same rules as `lookupPath` over `scopeOf(context)`.
 */
export function readVariable(context: FlowContext, path: string | readonly string[]): unknown {
  const segments = typeof path === "string" ? path.split(".") : path;
  if (segments[0] !== "sys") return lookupPath(context.vars, segments);
  if (segments.length === 1) return systemScopeOf(context);
  const value = systemValue(context, segments[1]!);
  return segments.length === 2 ? value : lookupPath(value, segments.slice(2));
}

const parsedTemplates = new Map<string, ParsedTemplate>();
const TEMPLATE_CACHE_LIMIT = 2000;

/**
 * Renders a `{{ path }}` template against the context, exactly like flow-schema's
 * `renderTemplate` over `scopeOf(context)` (a test checks they agree); parsed templates are
 * cached and values are read without building the scope.
 */
export function render(
  template: string,
  context: FlowContext,
  escapeValue?: (text: string) => string,
): string {
  if (!template.includes("{{")) return template;
  let parsed = parsedTemplates.get(template);
  if (!parsed) {
    parsed = parseTemplate(template);
    if (parsedTemplates.size >= TEMPLATE_CACHE_LIMIT) parsedTemplates.clear();
    parsedTemplates.set(template, parsed);
  }
  // flow-schema's renderTemplate semantics, reading each path straight from the context.
  let output = "";
  for (const part of parsed.parts) {
    if (part.type === "text") {
      output += part.text;
    } else {
      const text = stringifyTemplateValue(readVariable(context, part.segments));
      output += escapeValue ? escapeValue(text) : text;
    }
  }
  return output;
}
