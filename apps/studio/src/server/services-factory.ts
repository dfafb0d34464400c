import { join, resolve } from "node:path";
import { createCoreDeps } from "@parley/core/composition";
import { openDatabase } from "@parley/db";
import { studioEnv } from "../env";
import type { StudioServices } from "./context";

/** Kept on globalThis so `next dev` reloads reuse the database pool and the infrastructure. */
const holder = globalThis as typeof globalThis & { __parleyStudioServices?: Promise<StudioServices> };

/**
 * The studio's composition root: its long-lived services, built once from the validated
 * environment. The database named by DATABASE_URL, then core's `createCoreDeps` (infrastructure:
 * Redis when REDIS_URL is set, in-process otherwise; the runtime's keyring; the guarded HTTP client;
 * the model layer the test chat and the models pages use; the mail transport). The studio only
 * enqueues jobs (knowledge indexing) and only with Redis: in embedded mode the runtime owns the
 * queue's journal and its sweep picks up the documents the studio left pending. Workers run in the
 * runtime.
 */
export function studioServices(): Promise<StudioServices> {
  holder.__parleyStudioServices ??= (async () => {
    const env = studioEnv();
    const db = await openDatabase({ url: env.DATABASE_URL, poolSize: 4, applicationName: "parley-studio" });
    try {
      // The test chat runs turns with these, so a draft answers the way the published bot will.
      const core = await createCoreDeps(env, { db, withQueue: Boolean(env.REDIS_URL) });
      return {
        core: core.deps,
        runtimeUrl: env.PARLEY_RUNTIME_URL,
        templatesDir: env.PARLEY_TEMPLATES_DIR ?? join(resolve(process.cwd(), "../.."), "examples", "flows"),
        now: () => new Date(),
      };
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
  })().catch((error: unknown) => {
    holder.__parleyStudioServices = undefined;
    throw error;
  });
  return holder.__parleyStudioServices;
}
