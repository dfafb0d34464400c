import { EMBEDDED_POOL_SIZE, openDatabase, startEmbeddedPostgres } from "@parley/db";
import { UsageError } from "../args";
import { type Command, ExitCode } from "../io";

/**
 * `parley internal-db-template <dir>` (not listed in the usage): creates a new embedded data
 * directory and applies the migrations, then stops. `parley start` runs it in a short-lived child
 * to make the template that new data directories are copied from (see data-dir-template.ts).
 */
export const internalDbTemplateCommand: Command = async (argv, io) => {
  const [dataDir, ...extra] = argv;
  if (!dataDir || extra.length > 0) throw new UsageError("expected exactly one argument: the data directory");
  const embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
  try {
    const db = await openDatabase({
      url: embedded.url,
      poolSize: EMBEDDED_POOL_SIZE,
      idleInTransactionTimeoutMs: 0,
      applicationName: "parley-template",
    });
    try {
      const applied = await db.migrate();
      io.stdout.write(`Template ${dataDir}: ${applied.length} migration(s) applied.\n`);
    } finally {
      await db.close();
    }
  } finally {
    await embedded.stop();
  }
  return ExitCode.ok;
};
