/**
 * The dependency rules of the repository, as data. docs/architecture.md explains them; the checker
 * (check.ts) applies them to every import of every workspace's source files.
 */

/** The name of a rule, as violations report it. */
export type RuleName =
  | "pure-engine"
  | "contract-leaf"
  | "db-composition-root"
  | "public-entry"
  | "declared-dependency";

/** What each rule says, for messages and docs. */
export const ruleDescriptions: Readonly<Record<RuleName, string>> = {
  "pure-engine":
    "engine and flow-schema import no database, infrastructure, HTTP server, Redis, queue or Next.js code",
  "contract-leaf": "contract imports nothing but zod (it is the leaf every other module may use)",
  "db-composition-root": "apps import @parley/db only in their composition root (listed in rules.ts)",
  "public-entry":
    "a workspace imports another only through its package.json `exports` (no paths into its files)",
  "declared-dependency": "a workspace declares every @parley/* package it imports in its package.json",
};

/** Workspaces that must stay pure (run anywhere, no I/O of their own). */
export const pureWorkspaces: ReadonlySet<string> = new Set(["@parley/engine", "@parley/flow-schema"]);

/** Packages the pure workspaces must not import: a name, or a scope/prefix ending in `/`. */
export const forbiddenInPure: readonly string[] = [
  "@parley/db",
  "@parley/infra",
  "fastify",
  "@fastify/",
  "ioredis",
  "bullmq",
  "next",
  "pg",
  "@prisma/",
];

/** The leaf wire module and the only packages it may import (test files may also use these). */
export const leafWorkspace = "@parley/contract";
export const leafAllowed: ReadonlySet<string> = new Set(["zod"]);
export const leafAllowedInTests: ReadonlySet<string> = new Set(["zod", "vitest"]);

/**
 * Files of the apps allowed to import @parley/db, each with its reason: only the composition roots,
 * which open the database and hand it to core. Tests and test support are exempt (they build their
 * own real databases).
 */
export const dbImportAllowed: Readonly<Record<string, string>> = {
  "apps/runtime/src/runtime.ts": "the runtime's composition root: opens the database, builds core's deps",
  "apps/studio/src/server/services-factory.ts":
    "the studio's composition root: opens the database once per process and composes core",
};

/** Whether a repository-relative path is a test or test support (exempt from the composition-root rule). */
export function isTestFile(path: string): boolean {
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) ||
    /(^|\/)(test-support|test|tests|__tests__)\//.test(path) ||
    /(^|\/)vitest\.config\.[cm]?[jt]s$/.test(path)
  );
}
