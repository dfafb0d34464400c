import { createOfflineLlm, createOfflineNlu, type EnginePorts, type HttpPort } from "@parley/engine";
import type { GuardedHttpClient } from "@parley/infra";
import type { CoreDeps } from "../context";
import { type IntegrationCall, integrationHttpPort } from "../integrations/integration-http";

/** The engine's http port over the guarded outbound client (SSRF rules apply to every flow call). */
export function guardedHttpPort(client: GuardedHttpClient): HttpPort {
  return {
    async request(request, { signal }) {
      const response = await client.request(
        { method: request.method, url: request.url, headers: request.headers, body: request.body },
        { signal },
      );
      return { status: response.status, headers: response.headers, body: response.body };
    },
  };
}

const defaults = new WeakMap<CoreDeps, EnginePorts>();

/**
 * Ports for one turn: the host's (`deps.enginePorts`) when given, else offline LLM and NLU and the
 * guarded HTTP client, so every flow runs with no key configured; http requests that name an
 * integration get its URL and credentials (see integrationHttpPort) (internal).
 */
export function portsFor(
  deps: CoreDeps,
  scope: { tenantId: string; botId: string; conversationId: string },
  integrations: {
    /** `test`: the studio's test chat (integration mocks answer). */
    mode?: "live" | "test";
    /** Receives every integration call (recorded as `integration.call` analytics events). */
    onCall?: (call: IntegrationCall) => void;
  } = {},
): EnginePorts {
  const base = defaults.get(deps) ?? createDefaults(deps);
  const custom = deps.enginePorts?.(scope);
  const ports: EnginePorts = {
    ...base,
    ...custom,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  };
  // Requests naming an integration get its base URL and credentials here, whichever http port runs.
  ports.http = integrationHttpPort(deps, scope.tenantId, ports.http, integrations);
  return deps.ioWait ? duringIoWait(ports, deps.ioWait) : ports;
}

/**
 * The ports whose calls wait on something outside the process (a model, a flow's http call,
 * knowledge retrieval), each call wrapped with the host's `ioWait` (see CoreDeps.ioWait).
 */
function duringIoWait(ports: EnginePorts, ioWait: NonNullable<CoreDeps["ioWait"]>): EnginePorts {
  const { llm, http, knowledge } = ports;
  return {
    ...ports,
    ...(llm ? { llm: { complete: (request, options) => ioWait(() => llm.complete(request, options)) } } : {}),
    ...(http
      ? { http: { request: (request, options) => ioWait(() => http.request(request, options)) } }
      : {}),
    ...(knowledge
      ? { knowledge: { answer: (question, options) => ioWait(() => knowledge.answer(question, options)) } }
      : {}),
  };
}

function createDefaults(deps: CoreDeps): EnginePorts {
  const ports: EnginePorts = {
    llm: createOfflineLlm(),
    nlu: createOfflineNlu(),
    ...(deps.http ? { http: guardedHttpPort(deps.http) } : {}),
  };
  defaults.set(deps, ports);
  return ports;
}
