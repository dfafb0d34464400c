import { describe, expect, it } from "vitest";
import { readSchemaModels } from "../tooling/schema-text";
import { modelProp, scopeOf, tenantOwnedModels } from "./tenant-models";

describe("tenant-owned models", () => {
  const models = readSchemaModels();

  it("are exactly the schema's models with a tenantId field", () => {
    const expected = models.filter((m) => m.fields.includes("tenantId")).map((m) => m.name);
    expect([...tenantOwnedModels].sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(20);
  });

  it("classify the Tenant row and global models", () => {
    expect(scopeOf("Tenant")).toBe("tenant-row");
    expect(scopeOf("Message")).toBe("tenant-owned");
    expect(scopeOf("User")).toBe("global");
    expect(scopeOf("StudioSession")).toBe("global");
  });

  it("map model names to client properties the way Prisma does", () => {
    expect(modelProp("ApiKey")).toBe("apiKey");
    expect(modelProp("AuditLogEntry")).toBe("auditLogEntry");
  });
});
