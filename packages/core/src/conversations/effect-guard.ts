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
  /** `call`, after the check. */
  const after =
    <Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      await once();
      return call(...args);
    };
  const { llm, http, nlu, knowledge } = ports;
  return {
    ...ports,
    ...(llm ? { llm: { complete: after(llm.complete.bind(llm)) } } : {}),
    ...(http ? { http: { request: after(http.request.bind(http)) } } : {}),
    ...(nlu ? { nlu: { classify: after(nlu.classify.bind(nlu)) } } : {}),
    ...(knowledge ? { knowledge: { answer: after(knowledge.answer.bind(knowledge)) } } : {}),
  };
}
