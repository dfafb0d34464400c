import { CURRENT_FLOW_VERSION } from "./document";
import type { FlowProblem } from "./problems";

/** A flow document of some version, before it is parsed: a plain JSON object. */
export type UnparsedFlowDocument = Record<string, unknown>;

/**
 * One step of the migration path: turns a document of version `from` into version `from + 1`.
 * `migrate` receives a private deep copy (it may mutate it) and need not set `version`: the
 * registry does. Steps are pure and deterministic.
 */
export interface FlowMigration {
  readonly from: number;
  readonly description: string;
  readonly migrate: (document: UnparsedFlowDocument) => UnparsedFlowDocument;
}

/**
 * The registry of migrations of this package, one per version step, oldest first. Empty while
 * version 1 is the only version; when version 2 arrives, add `{ from: 1, ... }` here and bump
 * `CURRENT_FLOW_VERSION`.
 */
export const flowMigrations: readonly FlowMigration[] = [];

/** Options of `migrateFlowDocument` (tests and future versions pass their own registry). */
export interface MigrateFlowOptions {
  /** The migration steps to use. Default: `flowMigrations`. */
  readonly migrations?: readonly FlowMigration[];
  /** The version to migrate to. Default: `CURRENT_FLOW_VERSION`. */
  readonly targetVersion?: number;
}

/** The result of `migrateFlowDocument`. */
export type MigrateFlowResult =
  | {
      readonly ok: true;
      /** The document at the target version (the input itself when nothing was applied). */
      readonly document: UnparsedFlowDocument;
      /** The version the input had. */
      readonly fromVersion: number;
      /** Descriptions of the steps applied, in order. */
      readonly applied: readonly string[];
    }
  | { readonly ok: false; readonly problems: FlowProblem[] };

function failure(code: FlowProblem["code"], message: string): MigrateFlowResult {
  return { ok: false, problems: [{ nodeId: null, path: ["version"], code, message }] };
}

/**
 * Brings a flow document of any known older version up to the target version, one step at a
 * time. Only the `version` field is inspected; the shape is checked afterwards by
 * `parseFlowDocument`. A missing, invalid or newer version, or a gap in the registry, gives an
 * `unsupported-version` problem; a step that throws gives `migration-failed`. Never mutates the
 * input.
 */
export function migrateFlowDocument(input: unknown, options: MigrateFlowOptions = {}): MigrateFlowResult {
  const migrations = options.migrations ?? flowMigrations;
  const targetVersion = options.targetVersion ?? CURRENT_FLOW_VERSION;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return {
      ok: false,
      problems: [
        { nodeId: null, path: [], code: "invalid-shape", message: "a flow document must be a JSON object" },
      ],
    };
  }
  const fromVersion = (input as UnparsedFlowDocument).version;
  if (typeof fromVersion !== "number" || !Number.isInteger(fromVersion) || fromVersion < 1) {
    return failure(
      "unsupported-version",
      `"version" must be a positive integer (this version of Parley reads flow documents up to version ${targetVersion}); got ${JSON.stringify(fromVersion) ?? "nothing"}`,
    );
  }
  if (fromVersion > targetVersion) {
    return failure(
      "unsupported-version",
      `flow document version ${fromVersion} is newer than this version of Parley supports (${targetVersion}); upgrade Parley to open it`,
    );
  }

  let document = input as UnparsedFlowDocument;
  const applied: string[] = [];
  for (let version = fromVersion; version < targetVersion; version++) {
    const step = migrations.find((migration) => migration.from === version);
    if (!step) {
      return failure(
        "unsupported-version",
        `flow document version ${fromVersion} cannot be migrated: no migration from version ${version} to ${version + 1}`,
      );
    }
    try {
      document = { ...step.migrate(structuredClone(document)), version: version + 1 };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure(
        "migration-failed",
        `migrating from version ${version} to ${version + 1} failed: ${reason}`,
      );
    }
    applied.push(step.description);
  }
  return { ok: true, document, fromVersion, applied };
}
