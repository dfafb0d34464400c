/**
 * Worker for the benchmark's worker-thread comparison: evaluates expressions sent by the parent
 * with the engine's `evaluateExpression` and posts the result (or the error message) back.
 */
import { parentPort } from "node:worker_threads";
import { evaluateExpression } from "@parley/engine";

parentPort?.on("message", ({ id, source, input }: { id: number; source: string; input: unknown }) => {
  evaluateExpression(source, input).then(
    (value) => parentPort?.postMessage({ id, value }),
    (error: Error) => parentPort?.postMessage({ id, error: error.message }),
  );
});
parentPort?.postMessage({ ready: true });
