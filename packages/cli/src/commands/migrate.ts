import { parseCommandArgs } from "../args";
import { openConfiguredDatabase } from "../database/open-configured";
import { loadCliEnv } from "../env";
import { type Command, ExitCode } from "../io";

/**
 * `parley migrate [--status]`: applies pending migrations to the configured database (embedded or
 * `DATABASE_URL`), or with `--status` lists applied and pending ones and exits 1 when any is pending.
 */
export const migrateCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs(argv, { status: { type: "boolean", default: false } });
  const env = loadCliEnv();
  const database = await openConfiguredDatabase(env);
  try {
    if (values.status) {
      const status = await database.db.migrationStatus();
      io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return status.upToDate ? ExitCode.ok : ExitCode.failure;
    }
    const applied = await database.db.migrate();
    io.stdout.write(
      applied.length === 0
        ? `Database ${database.db.url} is up to date.\n`
        : `Applied ${applied.length} migration(s) to ${database.db.url}:\n${applied.map((name) => `  ${name}`).join("\n")}\n`,
    );
    return ExitCode.ok;
  } finally {
    await database.close();
  }
};
