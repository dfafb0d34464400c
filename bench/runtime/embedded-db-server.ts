/**
 * The embedded database (PGlite behind its socket server) in a process of its own, as `parley start`
 * hosts it, so the load generator does not share its event loop. Prints `{"url": ...}` once
 * listening; stops on SIGTERM. Usage: `tsx embedded-db-server.ts <dataDir>`.
 */
import { startEmbeddedPostgres } from "@parley/db";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: embedded-db-server.ts <dataDir>");
const embedded = await startEmbeddedPostgres({ dataDir });
process.stdout.write(`${JSON.stringify({ url: embedded.url })}\n`);
process.once("SIGTERM", () => {
  void embedded.stop().then(() => process.exit(0));
});
