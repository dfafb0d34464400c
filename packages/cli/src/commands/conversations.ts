import { resolve } from "node:path";
import { createParleyClient } from "@parley/client";
import { parseCommandArgs, positiveInteger, UsageError } from "../args";
import { loadCliEnv } from "../env";
import { type Command, ExitCode } from "../io";
import { readDemoFile } from "../seed/demo-file";

const STATUSES = ["waiting", "handoff", "ended"] as const;
type Status = (typeof STATUSES)[number];

/**
 * `parley conversations`: lists a bot's conversations, newest first, through the runtime's REST
 * API (`@parley/client`). The runtime URL, the secret key and the bot default to the seeded demo's
 * (`demo.json` in the data directory); `--url`, `--key` and `--bot` pick others.
 */
export const conversationsCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs(argv, {
    bot: { type: "string" },
    status: { type: "string" },
    limit: { type: "string" },
    url: { type: "string" },
    key: { type: "string" },
    json: { type: "boolean", default: false },
  });
  if (values.status !== undefined && !STATUSES.includes(values.status as Status)) {
    throw new UsageError(`--status must be one of ${STATUSES.join(", ")}, got "${values.status}"`);
  }
  const limit = positiveInteger("limit", values.limit, 20);
  const needsDemo = !values.url || !values.key || !values.bot;
  const demo = needsDemo ? readDemoFile(resolve(loadCliEnv().PARLEY_DATA_DIR)) : undefined;
  const baseUrl = values.url ?? demo?.runtimeUrl;
  const apiKey = values.key ?? demo?.apiKey;
  const botId = values.bot ?? demo?.botId;
  if (!baseUrl || !apiKey || !botId) {
    throw new UsageError("no demo.json to take the runtime, key and bot from: pass --url, --key and --bot");
  }

  const parley = createParleyClient({ baseUrl, apiKey });
  const { data, error, response } = await parley.GET("/api/v1/bots/{botId}/conversations", {
    params: {
      path: { botId },
      query: { limit, ...(values.status ? { status: values.status as Status } : {}) },
    },
  });
  if (error || !data) {
    io.stderr.write(
      `parley conversations: ${response.status} ${error?.code ?? ""}: ${error?.detail ?? response.statusText}\n`,
    );
    return ExitCode.failure;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (data.items.length === 0) {
    io.stdout.write("no conversations\n");
    return ExitCode.ok;
  }
  for (const item of data.items) {
    io.stdout.write(
      `${item.conversationId}  ${item.status.padEnd(7)}  ${item.channel.padEnd(9)}  ${String(item.turnCount).padStart(3)} turns  last ${item.lastActivityAt}\n`,
    );
  }
  return ExitCode.ok;
};
