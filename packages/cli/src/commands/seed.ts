import { resolve } from "node:path";
import { createCoreDeps } from "@parley/core/composition";
import { parseCommandArgs } from "../args";
import { openConfiguredDatabase } from "../database/open-configured";
import { loadCliEnv, publicUrls } from "../env";
import { type Command, ExitCode } from "../io";
import { ensureDemo } from "../seed/ensure-demo";

/**
 * `parley seed`: creates the demo (tenant, owner, bot with the published pizza flow, API key, widget
 * key) when it is missing and rewrites `demo.json`. The database must be migrated first.
 */
export const seedCommand: Command = async (argv, io) => {
  parseCommandArgs(argv, {});
  const env = loadCliEnv();
  const database = await openConfiguredDatabase(env);
  try {
    await database.db.assertSchemaCurrent();
    const core = await createCoreDeps(
      { ...env, PARLEY_STUDIO_URL: publicUrls(env).studioUrl },
      { db: database.db },
    );
    const demo = await ensureDemo(core.deps, {
      dataDir: resolve(env.PARLEY_DATA_DIR),
      ...publicUrls(env),
    }).finally(() => core.close());
    const verb = { created: "Created", existing: "Found", reissued: "Reissued keys for" }[demo.outcome];
    io.stdout.write(`${verb} the demo tenant ${demo.credentials.tenantId}; details in ${demo.file}\n`);
    return ExitCode.ok;
  } finally {
    await database.close();
  }
};
