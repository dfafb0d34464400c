import type { EnginePorts } from "@parley/engine";

/**
 * The turn's ports with `check` awaited once before the first effect (llm, http, nlu, knowledge)
 * starts; later effects wait for the same check. A turn that runs no effect never pays for it.
 * A failing check fails the effect call before anything left the process (internal).
 */
export function guardEffects(ports: EnginePorts, check: () => Promise<void>): EnginePorts {
  let checked: Promise<void> | undefined;
  const once = () => {
    checked ??= check();
    return checked;
  };
  const { llm, http, nlu, knowledge } = ports;
  return {
    ...ports,
    ...(llm ? { llm: { complete: async (...args) => (await once(), llm.complete(...args)) } } : {}),
    ...(http ? { http: { request: async (...args) => (await once(), http.request(...args)) } } : {}),
    ...(nlu ? { nlu: { classify: async (...args) => (await once(), nlu.classify(...args)) } } : {}),
    ...(knowledge
      ? { knowledge: { answer: async (...args) => (await once(), knowledge.answer(...args)) } }
      : {}),
  };
}
