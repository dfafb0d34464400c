import { describe, expect, it } from "vitest";
import { createApiKeyInputSchema } from "./api-keys";
import { listConversationsQuerySchema } from "./conversations";
import { publishFlowInputSchema } from "./flows";
import { integrationConfigSchema } from "./integrations";
import { idParamsSchema } from "./params";
import { flowVersionParamsSchema, rollbackFlowBodySchema } from "./versions";

describe("management payloads", () => {
  it("types id path parameters by name and refuses empty or unknown ones", () => {
    const params = idParamsSchema("keyId", "The key's id");
    const parsed: { keyId: string } = params.parse({ keyId: "k1" });
    expect(parsed).toEqual({ keyId: "k1" });
    expect(params.safeParse({ keyId: "" }).success).toBe(false);
    expect(params.safeParse({ keyId: "k1", other: "x" }).success).toBe(false);
  });

  it("reads the version of a version path as a number from 1", () => {
    expect(flowVersionParamsSchema.parse({ flowId: "f", version: "3" })).toEqual({ flowId: "f", version: 3 });
    expect(flowVersionParamsSchema.safeParse({ flowId: "f", version: "0" }).success).toBe(false);
    expect(flowVersionParamsSchema.safeParse({ flowId: "f", version: "two" }).success).toBe(false);
    expect(rollbackFlowBodySchema.safeParse({ version: 2 }).success).toBe(false);
  });

  it("filters conversation lists by the contract's statuses and channels", () => {
    expect(listConversationsQuerySchema.parse({ status: "handoff", limit: "5" })).toEqual({
      status: "handoff",
      limit: 5,
    });
    expect(listConversationsQuerySchema.parse({}).limit).toBe(20);
    expect(listConversationsQuerySchema.safeParse({ channel: "fax" }).success).toBe(false);
  });

  it("never lets an API key carry tenant ownership (member management only when chosen)", () => {
    expect(createApiKeyInputSchema.safeParse({ name: "ci", scopes: ["flows:publish"] }).success).toBe(true);
    expect(createApiKeyInputSchema.safeParse({ name: "ci", scopes: ["members:manage"] }).success).toBe(true);
    expect(createApiKeyInputSchema.safeParse({ name: "ci", scopes: ["tenant:manage"] }).success).toBe(false);
  });

  it("keeps secrets out of an integration's plain headers and notes to 2000 characters", () => {
    const config = integrationConfigSchema.safeParse({
      baseUrl: "https://api.example.com",
      headers: { Authorization: "x" },
    });
    expect(config.success).toBe(false);
    expect(config.error?.issues[0]?.message).toContain("credentials");
    expect(publishFlowInputSchema.safeParse({ note: "x".repeat(2_001) }).success).toBe(false);
  });
});
