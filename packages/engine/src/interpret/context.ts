import { lookupPath, type ParsedTemplate, parseTemplate, renderTemplate } from "@parley/flow-schema";

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

/**
 * Reads a variable path (`order.size`, `sys.channel`) from the context without building the
 * whole scope (condition rules run on every eventless step, so this is kept cheap).
 */
export function readVariable(context: FlowContext, path: string): unknown {
  if (path === "sys" || path.startsWith("sys.")) return lookupPath({ sys: systemScopeOf(context) }, path);
  return lookupPath(context.vars, path);
}

const parsedTemplates = new Map<string, ParsedTemplate>();
const TEMPLATE_CACHE_LIMIT = 2000;

/** Renders a `{{ path }}` template against the context (parsed templates are cached). */
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
  return renderTemplate(parsed, scopeOf(context), escapeValue ? { escape: escapeValue } : {});
}
