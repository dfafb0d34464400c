import { readFile } from "node:fs/promises";
import { modelProviderEnvShape, parseEnv } from "@parley/config";
import {
  AllModelsFailedError,
  type AttemptRecord,
  BudgetExceededError,
  environmentModelConfig,
  type ModelCallRecord,
  ModelOrchestrator,
  RouteNotFoundError,
  StreamInterruptedError,
  staticConfigSource,
  tenantModelConfigSchema,
} from "@parley/models";
import { z } from "zod";
import { parseCommandArgs, UsageError } from "../args";
import { type CommandIo, ExitCode } from "../io";

/** Tenant id the CLI's calls are accounted under (there is no tenant on the command line). */
const CLI_TENANT = "cli";

function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text);
}

/** Loads `--config FILE`: a tenant model configuration (providers, routes, prices) as JSON. */
async function loadConfigFile(path: string) {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --config ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = tenantModelConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new UsageError(`--config ${path} is not a model configuration: ${issues.join("; ")}`);
  }
  return parsed.data;
}

function describeAttempt(attempt: AttemptRecord): string {
  const what = attempt.outcome === "skipped" ? `skipped: ${attempt.error ?? ""}` : attempt.outcome;
  return `${attempt.provider}/${attempt.model} (${what}${attempt.try > 1 ? `, try ${attempt.try}` : ""})`;
}

/** The attempts that did not answer, in order. */
function fallbacksOf(record: ModelCallRecord): AttemptRecord[] {
  return record.attempts.filter((attempt) => attempt.outcome !== "ok");
}

function summaryLines(record: ModelCallRecord): string[] {
  const fallbacks = fallbacksOf(record);
  return [
    `answered by ${record.provider}/${record.model} via route "${record.route}"${record.cacheHit ? " (from cache)" : ""}`,
    `tokens: ${record.inputTokens} in, ${record.outputTokens} out · cost: $${record.costUsd.toFixed(6)}${
      record.priced ? "" : " (no price for this model)"
    } · latency: ${Math.round(record.latencyMs)} ms`,
    `fallbacks tried: ${fallbacks.length === 0 ? "none" : fallbacks.map(describeAttempt).join(" -> ")}`,
  ];
}

function jsonOf(answer: string, record: ModelCallRecord) {
  return {
    answer,
    route: record.route,
    provider: record.provider ?? null,
    model: record.model ?? null,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    costUsd: record.costUsd,
    priced: record.priced,
    latencyMs: record.latencyMs,
    timeToFirstTokenMs: record.timeToFirstTokenMs ?? null,
    cacheHit: record.cacheHit,
    fallbackPosition: record.fallbackPosition ?? null,
    fallbacks: fallbacksOf(record).map((attempt) => ({
      provider: attempt.provider,
      model: attempt.model,
      outcome: attempt.outcome,
      try: attempt.try,
      ...(attempt.error ? { error: attempt.error } : {}),
    })),
  };
}

/**
 * `parley ask "<prompt>" [--route NAME] [--json] [--config FILE]`: sends one prompt through the
 * routing layer with the configured providers (environment keys, then the offline provider; or a
 * model configuration file), prints the answer as it streams, then which provider and model
 * answered, tokens, cost, latency and the fallbacks tried. `--json` prints one JSON object instead.
 */
export async function askCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      route: { type: "string" },
      json: { type: "boolean", default: false },
      config: { type: "string" },
      system: { type: "string" },
    },
    { allowPositionals: true },
  );
  const prompt = positionals.join(" ").trim();
  if (prompt === "") throw new UsageError('missing prompt: parley ask "<prompt>" [--route NAME] [--json]');
  if (values.route !== undefined && values.route.trim() === "")
    throw new UsageError("--route needs a route name");

  // Only the provider variables: `ask` needs no database, ports or data directory.
  const environment = environmentModelConfig(parseEnv(z.object(modelProviderEnvShape)));
  const configured = values.config ? await loadConfigFile(values.config) : tenantModelConfigSchema.parse({});
  // The --config file is the operator's own (not a tenant's): its endpoints are trusted like the
  // environment's, so a local model server on loopback or the LAN works.
  const orchestrator = new ModelOrchestrator({
    configSource: staticConfigSource(configured),
    environment,
    outbound: "trusted",
  });
  const json = values.json === true;
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal);
  let streamed = false;
  try {
    const response = await orchestrator.complete(
      {
        route: values.route ?? "default",
        messages: [
          ...(values.system ? [{ role: "system" as const, content: values.system }] : []),
          { role: "user", content: prompt },
        ],
      },
      { tenantId: CLI_TENANT },
      {
        signal: controller.signal,
        ...(json
          ? {}
          : {
              onToken: (token: string) => {
                streamed = true;
                write(io.stdout, token);
              },
            }),
      },
    );
    if (json) {
      write(io.stdout, `${JSON.stringify(jsonOf(response.text, response.record))}\n`);
    } else {
      if (!streamed) write(io.stdout, response.text);
      write(io.stdout, `\n\n${summaryLines(response.record).join("\n")}\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof RouteNotFoundError) throw new UsageError(error.message);
    if (
      error instanceof AllModelsFailedError ||
      error instanceof BudgetExceededError ||
      error instanceof StreamInterruptedError
    ) {
      if (json) {
        write(
          io.stdout,
          `${JSON.stringify({
            error: error.message,
            ...(error instanceof AllModelsFailedError
              ? {
                  attempts: error.attempts.map((a) => ({
                    provider: a.provider,
                    model: a.model,
                    outcome: a.outcome,
                    error: a.error,
                  })),
                }
              : {}),
          })}\n`,
        );
      } else {
        write(io.stderr, `${streamed ? "\n" : ""}parley ask: ${error.message}\n`);
      }
      return ExitCode.failure;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSignal);
  }
}
