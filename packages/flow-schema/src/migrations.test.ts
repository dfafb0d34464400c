import { describe, expect, it } from "vitest";
import { validFlowInput } from "../test/fixtures";
import { CURRENT_FLOW_VERSION } from "./document";
import { type FlowMigration, flowMigrations, migrateFlowDocument } from "./migrations";

/** Pretend future versions 2 and 3, to exercise the registry while version 1 is current. */
const renameNodesToSteps: FlowMigration = {
  from: 1,
  description: "v2 renames nodes to steps",
  migrate: (document) => {
    document.steps = document.nodes;
    delete document.nodes;
    return document;
  },
};

const addTags: FlowMigration = {
  from: 2,
  description: "v3 adds tags",
  migrate: (document) => ({ ...document, tags: [] }),
};

describe("migrateFlowDocument", () => {
  it("leaves a current document alone", () => {
    const input = validFlowInput();
    const result = migrateFlowDocument(input);
    expect(result).toEqual({ ok: true, document: input, fromVersion: 1, applied: [] });
  });

  it("has no migrations while version 1 is current", () => {
    expect(CURRENT_FLOW_VERSION).toBe(1);
    expect(flowMigrations).toEqual([]);
  });

  it("applies registered steps in order and sets the version", () => {
    const input = validFlowInput();
    const result = migrateFlowDocument(input, {
      migrations: [addTags, renameNodesToSteps],
      targetVersion: 3,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fromVersion).toBe(1);
    expect(result.applied).toEqual(["v2 renames nodes to steps", "v3 adds tags"]);
    expect(result.document.version).toBe(3);
    expect(result.document.steps).toEqual(input.nodes);
    expect(result.document.nodes).toBeUndefined();
    expect(result.document.tags).toEqual([]);
  });

  it("starts from the document's own version", () => {
    const result = migrateFlowDocument(
      { version: 2, nodes: [] },
      { migrations: [renameNodesToSteps, addTags], targetVersion: 3 },
    );
    expect(result.ok && result.applied).toEqual(["v3 adds tags"]);
  });

  it("never mutates the input", () => {
    const input = validFlowInput();
    const before = structuredClone(input);
    migrateFlowDocument(input, { migrations: [renameNodesToSteps], targetVersion: 2 });
    expect(input).toEqual(before);
  });

  it("reports a gap in the registry", () => {
    const result = migrateFlowDocument(validFlowInput(), { migrations: [addTags], targetVersion: 3 });
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: "unsupported-version",
      message: expect.stringContaining("no migration from version 1 to 2"),
    });
  });

  it("reports a newer version", () => {
    const result = migrateFlowDocument({ ...validFlowInput(), version: 2 });
    expect(!result.ok && result.problems[0]?.message).toBe(
      "flow document version 2 is newer than this version of Parley supports (1); upgrade Parley to open it",
    );
  });

  it("reports non-integer versions", () => {
    for (const version of [0, 1.5, "1", null]) {
      const result = migrateFlowDocument({ ...validFlowInput(), version });
      expect(!result.ok && result.problems[0]?.code).toBe("unsupported-version");
    }
  });
});
