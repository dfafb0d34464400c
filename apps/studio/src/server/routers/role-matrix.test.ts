import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Role, roleAllows, roleSchema } from "../access";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";
import { appRouter } from "./app";

/**
 * For every procedure: which roles may call it. Tenant procedures declare their permission in
 * their metadata; a role without it must get FORBIDDEN before its input is even looked at, a role
 * with it must never get FORBIDDEN for an empty input (it gets a validation error, not found, or
 * the answer).
 */
type ProcedureEntry = { path: string; permission: string | undefined; isPublic: boolean; type: string };

const procedures: ProcedureEntry[] = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { permission?: string; public?: boolean }; type: string } }
  >,
).map(([path, procedure]) => ({
  path,
  permission: procedure._def.meta?.permission,
  isPublic: procedure._def.meta?.public === true,
  type: procedure._def.type,
}));

function call(caller: StudioCaller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

let harness: StudioHarness;
const callers = new Map<Role, StudioCaller>();
let anonymous: StudioCaller;

beforeAll(async () => {
  harness = await createStudioHarness();
  const { tenantId, ownerId } = await harness.tenant("Matrix");
  callers.set("owner", await harness.as(ownerId, tenantId));
  for (const role of roleSchema.options.filter((r) => r !== "owner")) {
    const member = await harness.member(tenantId, role);
    callers.set(role, await harness.as(member.userId, tenantId));
  }
  anonymous = await harness.anonymous();
});
afterAll(() => harness?.cleanup());

describe("role matrix", () => {
  it("covers every procedure: each is public, signed-in only, or requires a permission", () => {
    expect(procedures.length).toBeGreaterThan(30);
    const signedInOnly = procedures.filter((p) => !p.permission && !p.isPublic).map((p) => p.path);
    expect(signedInOnly.sort()).toEqual([
      // A person's own account security (MFA) belongs to no workspace.
      "account.confirmMfaEnrolment",
      "account.disableMfa",
      "account.mfaStatus",
      "account.regenerateRecoveryCodes",
      "account.startMfaEnrolment",
      "auth.signOut",
      "tenants.create",
      "tenants.switch",
    ]);
  });

  for (const role of roleSchema.options) {
    it(`${role}: allowed exactly what the role grants`, async () => {
      const caller = callers.get(role) as StudioCaller;
      const table: Record<string, string> = {};
      for (const procedure of procedures.filter((p) => p.permission)) {
        const result = await outcome(call(caller, procedure.path, {}));
        // Agents hold conversations:read for their inbox only: the workspace's contact book stays closed.
        // (Core refuses them after the input is parsed, so an empty input may fail validation first.)
        const agentScoped = role === "agent" && procedure.path.startsWith("contacts.");
        const allowed = roleAllows(role, procedure.permission as never);
        table[procedure.path] = result;
        if (agentScoped) expect(result, `${role} ${procedure.path}`).not.toBe("OK");
        else if (allowed) expect(result, `${role} ${procedure.path}`).not.toBe("FORBIDDEN");
        else expect(result, `${role} ${procedure.path}`).toBe("FORBIDDEN");
      }
      // Spot checks of the table's meaning.
      if (role === "viewer") {
        expect(table["bots.list"]).toBe("OK");
        expect(table["flows.publish"]).toBe("FORBIDDEN");
        expect(table["apiKeys.list"]).toBe("FORBIDDEN");
      }
      if (role === "analyst") expect(table["audit.list"]).toBe("OK");
      if (role === "admin") {
        expect(table["tenants.rename"]).toBe("FORBIDDEN");
        expect(table["tenants.setRequireMfa"]).toBe("FORBIDDEN");
      }
      if (role === "agent") {
        // Agents work the inbox only: no bots, flows, models or knowledge.
        expect(table["bots.list"]).toBe("FORBIDDEN");
        expect(table["models.providers"]).toBe("FORBIDDEN");
        expect(table["knowledge.search"]).toBe("FORBIDDEN");
        return;
      }
      // Models: everyone reads; owner and admin edit; trying a prompt spends like test chat (editor up).
      // Knowledge: everyone reads and searches; owner, admin and editor change documents.
      expect(table["models.providers"], role).toBe("OK");
      expect(table["models.budgets"], role).toBe("OK");
      const manages = role === "owner" || role === "admin";
      const builds = manages || role === "editor";
      expect(table["models.saveProvider"] === "FORBIDDEN", `${role} models.saveProvider`).toBe(!manages);
      expect(table["models.saveRoute"] === "FORBIDDEN", `${role} models.saveRoute`).toBe(!manages);
      expect(table["models.tryPrompt"] === "FORBIDDEN", `${role} models.tryPrompt`).toBe(!builds);
      expect(table["models.routing"], role).toBe("OK");
      expect(table["models.saveBotRouting"] === "FORBIDDEN", `${role} models.saveBotRouting`).toBe(!manages);
      expect(table["models.saveTenantRouting"] === "FORBIDDEN", `${role} models.saveTenantRouting`).toBe(
        !manages,
      );
      expect(table["knowledge.upload"] === "FORBIDDEN", `${role} knowledge.upload`).toBe(!builds);
      expect(table["knowledge.search"], `${role} knowledge.search`).not.toBe("FORBIDDEN");
    });
  }

  it("refuses every non-public procedure to someone signed out", async () => {
    for (const procedure of procedures.filter((p) => !p.isPublic)) {
      expect(await outcome(call(anonymous, procedure.path, {})), procedure.path).toBe("UNAUTHORIZED");
    }
  });
});
