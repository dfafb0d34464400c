import { describe, expect, it } from "vitest";
import { TenantScopeError } from "../errors";
import { scopeArguments } from "./scope-arguments";

const A = "tenant-a";
const B = "tenant-b";

describe("scopeArguments: filters", () => {
  it("adds tenantId to a missing or empty filter", () => {
    expect(scopeArguments("Bot", "findMany", undefined, A)).toEqual({ where: { tenantId: A } });
    expect(scopeArguments("Bot", "count", { where: {} }, A)).toEqual({ where: { tenantId: A } });
  });

  it("ANDs the tenant with an existing filter so an OR in it cannot widen the result", () => {
    const args = { where: { OR: [{ name: "x" }, { tenantId: B }] }, take: 5 };
    expect(scopeArguments("Bot", "findMany", args, A)).toEqual({
      where: { AND: [{ OR: [{ name: "x" }, { tenantId: B }] }, { tenantId: A }] },
      take: 5,
    });
  });

  it("scopes every filtering operation", () => {
    for (const operation of [
      "findFirst",
      "findFirstOrThrow",
      "updateMany",
      "deleteMany",
      "aggregate",
      "groupBy",
    ]) {
      expect(scopeArguments("Conversation", operation, { where: { status: "ended" } }, A).where).toEqual({
        AND: [{ status: "ended" }, { tenantId: A }],
      });
    }
  });

  it("adds tenantId to unique lookups and keeps the unique key", () => {
    expect(scopeArguments("Bot", "findUnique", { where: { id: "b1" } }, A)).toEqual({
      where: { id: "b1", tenantId: A },
    });
    expect(scopeArguments("Bot", "delete", { where: { publishableKey: "pk" } }, A)).toEqual({
      where: { publishableKey: "pk", tenantId: A },
    });
  });

  it("refuses a unique lookup that names another tenant, directly or in a compound key", () => {
    expect(() => scopeArguments("Bot", "findUnique", { where: { id: "b1", tenantId: B } }, A)).toThrow(
      TenantScopeError,
    );
    expect(() =>
      scopeArguments(
        "Membership",
        "findUnique",
        { where: { tenantId_userId: { tenantId: B, userId: "u" } } },
        A,
      ),
    ).toThrow(/does not match the scoped tenant/);
  });

  it("accepts a compound key naming the scoped tenant", () => {
    const where = { tenantId_userId: { tenantId: A, userId: "u" } };
    expect(scopeArguments("Membership", "findUnique", { where }, A)).toEqual({
      where: { ...where, tenantId: A },
    });
  });

  it("does not mutate the caller's arguments", () => {
    const args = { where: { id: "b1" } };
    scopeArguments("Bot", "findUnique", args, A);
    expect(args).toEqual({ where: { id: "b1" } });
  });
});

describe("scopeArguments: writes", () => {
  it("stamps created rows with the tenant", () => {
    expect(scopeArguments("Bot", "create", { data: { name: "n" } }, A)).toEqual({
      data: { name: "n", tenantId: A },
    });
    expect(scopeArguments("Contact", "createMany", { data: [{ email: "1" }, { email: "2" }] }, A)).toEqual({
      data: [
        { email: "1", tenantId: A },
        { email: "2", tenantId: A },
      ],
    });
    expect(scopeArguments("Contact", "createManyAndReturn", { data: { email: "1" } }, A)).toEqual({
      data: { email: "1", tenantId: A },
    });
  });

  it("refuses creating a row for another tenant", () => {
    expect(() => scopeArguments("Bot", "create", { data: { name: "n", tenantId: B } }, A)).toThrow(
      TenantScopeError,
    );
    expect(() => scopeArguments("Bot", "create", { data: { tenant: { connect: { id: B } } } }, A)).toThrow(
      TenantScopeError,
    );
  });

  it("accepts the checked input form when it connects the scoped tenant", () => {
    const data = { name: "n", tenant: { connect: { id: A } } };
    expect(scopeArguments("Bot", "create", { data }, A)).toEqual({ data });
  });

  it("refuses updates that move rows to another tenant", () => {
    expect(() => scopeArguments("Bot", "update", { where: { id: "b" }, data: { tenantId: B } }, A)).toThrow(
      TenantScopeError,
    );
    expect(() =>
      scopeArguments("Bot", "updateMany", { data: { tenant: { connect: { id: B } } } }, A),
    ).toThrow(TenantScopeError);
  });

  it("scopes both sides of an upsert", () => {
    const args = { where: { id: "b" }, create: { name: "n" }, update: { name: "m" } };
    expect(scopeArguments("Bot", "upsert", args, A)).toEqual({
      where: { id: "b", tenantId: A },
      create: { name: "n", tenantId: A },
      update: { name: "m" },
    });
    expect(() => scopeArguments("Bot", "upsert", { ...args, update: { tenantId: B } }, A)).toThrow(
      TenantScopeError,
    );
  });
});

describe("scopeArguments: the Tenant row and global models", () => {
  it("confines Tenant reads and updates to the scoped tenant's own row", () => {
    expect(scopeArguments("Tenant", "findUnique", { where: { id: B } }, A)).toEqual({
      where: { id: B, AND: [{ id: A }] },
    });
    expect(scopeArguments("Tenant", "findMany", {}, A)).toEqual({ where: { id: A } });
  });

  it("refuses creating or deleting tenants and changing the tenant id", () => {
    expect(() => scopeArguments("Tenant", "create", { data: {} }, A)).toThrow(/system operation/);
    expect(() => scopeArguments("Tenant", "delete", { where: { id: A } }, A)).toThrow(TenantScopeError);
    expect(() => scopeArguments("Tenant", "update", { where: { id: A }, data: { id: B } }, A)).toThrow(
      /cannot change the tenant id/,
    );
  });

  it("refuses global models and points at the system client", () => {
    for (const model of ["User", "StudioSession", "PasswordResetToken"] as const) {
      expect(() => scopeArguments(model, "findMany", {}, A)).toThrow(/use db\.system/);
    }
  });
});
