import { describe, expect, it } from "vitest";
import { allPermissions } from "./permissions";
import { canAssignRole, roleAllows, roleSchema } from "./roles";
import { API_KEY_SCOPES, apiKeyScopeSchema, scopesAllow } from "./scopes";

describe("roles", () => {
  it("orders power: every permission of a lower role is held by each higher role", () => {
    // `agent` stands beside the ladder (inbox only); the roles that build and read are ordered.
    const roles = roleSchema.options.filter((role) => role !== "agent");
    for (let higher = 0; higher < roles.length; higher++) {
      for (let lower = higher + 1; lower < roles.length; lower++) {
        for (const permission of allPermissions) {
          if (roleAllows(roles[lower]!, permission))
            expect(roleAllows(roles[higher]!, permission)).toBe(true);
        }
      }
    }
  });

  it("keeps tenant management with owners and publishing away from analysts and viewers", () => {
    expect(roleAllows("owner", "tenant:manage")).toBe(true);
    expect(roleAllows("admin", "tenant:manage")).toBe(false);
    expect(roleAllows("editor", "flows:publish")).toBe(true);
    expect(roleAllows("analyst", "flows:publish")).toBe(false);
    expect(roleAllows("viewer", "flows:write")).toBe(false);
    expect(roleAllows("viewer", "bots:read")).toBe(true);
  });

  it("lets agents work the inbox and nothing else", () => {
    expect(roleAllows("agent", "conversations:agent")).toBe(true);
    expect(roleAllows("agent", "conversations:read")).toBe(true);
    expect(roleAllows("agent", "bots:read")).toBe(false);
    expect(roleAllows("agent", "flows:read")).toBe(false);
    expect(roleAllows("agent", "analytics:read")).toBe(false);
  });

  it("never lets someone hand out a role above their own", () => {
    expect(canAssignRole("owner", "owner")).toBe(true);
    expect(canAssignRole("admin", "owner")).toBe(false);
    expect(canAssignRole("admin", "editor")).toBe(true);
    expect(canAssignRole("editor", "viewer")).toBe(false);
  });
});

describe("API key scopes", () => {
  it("grants exactly the listed permissions, or all with *", () => {
    expect(scopesAllow(["conversations:write"], "conversations:write")).toBe(true);
    expect(scopesAllow(["conversations:write"], "flows:publish")).toBe(false);
    expect(scopesAllow(["*"], "flows:publish")).toBe(true);
  });

  it("never grants tenant management; member management only when chosen, not with *", () => {
    expect(scopesAllow(["*"], "tenant:manage")).toBe(false);
    expect(apiKeyScopeSchema.safeParse("tenant:manage").success).toBe(false);
    expect(scopesAllow(["*"], "members:manage")).toBe(false);
    expect(scopesAllow(["members:manage"], "members:manage")).toBe(true);
    expect(API_KEY_SCOPES).toContain("members:manage");
    expect(API_KEY_SCOPES).toContain("audit:read");
  });
});
