import { join, resolve } from "node:path";
import type { CoreDeps } from "@parley/core";
import {
  createGuardedHttpClient,
  createInfrastructure,
  createVault,
  loadOrCreateEmbeddedKey,
  mailerFor,
  parseKeyring,
} from "@parley/infra";
import { studioEnv } from "../env";
import type { StudioServices } from "./context";
import { studioDatabase } from "./database";
import { createStudioModelServices } from "./models/model-services";

const holder = globalThis as typeof globalThis & { __parleyStudioServices?: Promise<StudioServices> };

/** Where the repository's example flows are (the starter templates), found from the studio's directory. */
export function defaultTemplatesDir(): string {
  return process.env.PARLEY_TEMPLATES_DIR ?? join(resolve(process.cwd(), "../.."), "examples", "flows");
}

/**
 * The studio process's long-lived services, built once from the environment: the database, the
 * infrastructure core's services expect (Redis when REDIS_URL is set, in-process otherwise), and the
 * mail transport (SMTP when SMTP_URL is set, else console). The studio only enqueues jobs (knowledge
 * indexing) and only with Redis: in embedded mode the runtime owns the queue's journal and its sweep
 * picks up the documents the studio left pending. Workers run in the runtime.
 */
export function studioServices(): Promise<StudioServices> {
  holder.__parleyStudioServices ??= (async () => {
    const env = studioEnv();
    const db = await studioDatabase();
    const infra = await createInfrastructure({
      dataDir: env.PARLEY_DATA_DIR,
      withQueue: Boolean(env.REDIS_URL),
      ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    });
    // The same keyring as the runtime (PARLEY_SECRET_KEY, else the data directory's key file), so
    // provider keys the studio stores are the ones the runtime decrypts.
    const secretKey =
      env.PARLEY_SECRET_KEY ?? (await loadOrCreateEmbeddedKey(resolve(env.PARLEY_DATA_DIR))).secretKey;
    const vault = createVault(parseKeyring(secretKey));
    const http = createGuardedHttpClient();
    const models = createStudioModelServices({ db, vault, cache: infra.cache, http });
    // The test chat runs turns with these, so a draft answers the way the published bot will.
    const core: CoreDeps = {
      db,
      infra,
      vault,
      http,
      enginePorts: models.enginePorts,
      models,
      mailer: mailerFor(env.SMTP_URL, env.MAIL_FROM),
      studioUrl: env.PARLEY_STUDIO_URL,
    };
    return {
      core,
      runtimeUrl: env.PARLEY_RUNTIME_URL,
      templatesDir: defaultTemplatesDir(),
      now: () => new Date(),
    };
  })().catch((error: unknown) => {
    holder.__parleyStudioServices = undefined;
    throw error;
  });
  return holder.__parleyStudioServices;
}
