import { type Database, openDatabase } from "@parley/db";
import { studioEnv } from "../env";

/** The studio process's database, opened once (kept on globalThis so `next dev` reloads reuse it). */
const holder = globalThis as typeof globalThis & { __parleyStudioDb?: Promise<Database> };

/** Opens the database named by DATABASE_URL on first use. */
export function studioDatabase(): Promise<Database> {
  holder.__parleyStudioDb ??= openDatabase({
    url: studioEnv().DATABASE_URL,
    poolSize: 4,
    applicationName: "parley-studio",
  }).catch((error: unknown) => {
    holder.__parleyStudioDb = undefined;
    throw error;
  });
  return holder.__parleyStudioDb;
}
