/**
 * Prisma CLI configuration (Prisma 6.19, offline).
 *
 * `engine: "js"` + an adapter makes the CLI use its bundled WASM schema engine instead of downloading a
 * native binary. `prisma migrate diff` still opens a connection through the adapter (it does not read or
 * write anything for datamodel diffs), so the scripts in ./scripts point PARLEY_PRISMA_CLI_URL at a throwaway
 * PGlite server when no Postgres is around. The short idle timeout lets the CLI exit as soon as it is done
 * (the adapter's pool is never closed by the CLI, and pg would otherwise keep the process alive for 10 s).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

const cliUrl = process.env.PARLEY_PRISMA_CLI_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
// The schema's datasource reads DATABASE_URL; the CLI refuses to load the schema when it is unset even for
// commands that never connect through it (generate).
process.env.DATABASE_URL ??= cliUrl;

export default defineConfig({
  experimental: { adapter: true },
  schema: "../../prisma/schema.prisma",
  engine: "js",
  adapter: async () =>
    new PrismaPg({ connectionString: cliUrl, allowExitOnIdle: true, idleTimeoutMillis: 50 }),
});
