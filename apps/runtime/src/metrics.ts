import { collectDefaultMetrics, Registry } from "prom-client";

/** The runtime's Prometheus registry, with Node process metrics under the `parley_` prefix. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "parley_" });
  return registry;
}
