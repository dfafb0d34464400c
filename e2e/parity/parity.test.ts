import { appRouter } from "@parley/studio/server/routers/app";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditRow, allowedActor, createParityHarness, deniedActor, type ParityHarness } from "./harness";
import type { AnyParityRow } from "./row";
import { parityDomains, parityExempt, parityRows } from "./rows";

/**
 * A studio action and its REST twin call the same core function: they check the same permission and
 * write the same audit row. One table (rows/) drives both sides.
 */
let harness: ParityHarness;
beforeAll(async () => {
  harness = await createParityHarness();
}, 120_000);
afterAll(() => harness?.close());

async function setupOf(row: AnyParityRow): Promise<unknown> {
  return row.setup ? row.setup(harness.fixture) : undefined;
}

/** Runs one side after its own setup; returns what it answered and the audit rows it wrote. */
async function studioSide(row: AnyParityRow, role: Parameters<ParityHarness["callStudio"]>[0]) {
  const setup = await setupOf(row);
  const before = await harness.auditIds();
  const outcome = await harness.callStudio(
    role,
    row.studio.procedure,
    row.studio.input(setup, harness.fixture),
  );
  return { outcome, audit: await harness.auditSince(before) };
}

async function restSide(row: AnyParityRow, scopes: Parameters<ParityHarness["callRest"]>[0]) {
  const setup = await setupOf(row);
  await harness.keyIdFor(scopes); // made before the snapshot: creating the key is audited too
  const before = await harness.auditIds();
  const outcome = await harness.callRest(
    scopes,
    row.rest.method,
    row.rest.path(setup, harness.fixture),
    row.rest.body?.(setup, harness.fixture),
  );
  return { outcome, audit: await harness.auditSince(before) };
}

const shape = (rows: AuditRow[]) => rows.map((r) => ({ action: r.action, targetType: r.targetType }));

describe("studio/REST parity", () => {
  it("has a row for every procedure of the covered studio routers", () => {
    const procedures = Object.keys(appRouter._def.procedures as Record<string, unknown>);
    const covered = procedures.filter((path) => parityDomains.includes(path.split(".")[0] ?? ""));
    const inRows = new Set([...parityRows.map((row) => row.studio.procedure), ...Object.keys(parityExempt)]);
    expect(covered.filter((path) => !inRows.has(path))).toEqual([]);
    expect(covered.length).toBeGreaterThan(0);
  });

  for (const row of parityRows) {
    describe(row.name, () => {
      it(`both sides succeed with ${row.permission} and write the same audit row`, async () => {
        const actor = allowedActor(row);
        const studio = await studioSide(row, actor.role);
        expect(studio.outcome, `studio ${row.studio.procedure}`).toMatchObject({ ok: true });
        const rest = await restSide(row, actor.scopes);
        expect(
          rest.outcome.status,
          `REST ${row.rest.method} ${JSON.stringify(rest.outcome.body)}`,
        ).toBeLessThan(300);

        const userId = harness.fixture.members[actor.role].userId;
        const keyId = await harness.keyIdFor(actor.scopes);
        const byStudio = studio.audit.filter((r) => r.actorId === userId);
        const byRest = rest.audit.filter((r) => r.actorId === keyId);
        if (row.audit === null) {
          expect(studio.audit, "a read writes no audit row").toEqual([]);
          expect(rest.audit, "a read writes no audit row").toEqual([]);
        } else {
          expect(shape(byStudio)).toEqual([row.audit]);
          expect(shape(byRest)).toEqual([row.audit]);
          expect(byStudio[0]?.actorType).toBe("user");
          expect(byRest[0]?.actorType).toBe("api_key");
        }
      });

      it(`both sides refuse an actor without ${row.permission}, writing nothing`, async () => {
        const actor = deniedActor(row);
        if (actor.role) {
          const studio = await studioSide(row, actor.role);
          expect(studio.outcome, `studio as ${actor.role}`).toMatchObject({ ok: false, code: "FORBIDDEN" });
          expect(studio.audit).toEqual([]);
        }
        const rest = await restSide(row, actor.scopes);
        expect(rest.outcome.status).toBe(403);
        expect(rest.outcome.contentType).toContain("application/problem+json");
        expect(rest.outcome.body).toMatchObject({ status: 403 });
        expect(rest.audit).toEqual([]);
      });
    });
  }

  it("refuses owner-only member actions alike: an admin in the studio, a members:manage key over REST", async () => {
    const { fixture } = harness;
    const ownerId = fixture.members.owner.userId;
    const target = await fixture.member("editor");
    await harness.keyIdFor(["members:manage"]); // made before the snapshot (creating a key is audited)
    const before = await harness.auditIds();
    const attempts = [
      {
        studio: await harness.callStudio("admin", "members.changeRole", {
          userId: target.userId,
          role: "owner",
        }),
        rest: await harness.callRest(["members:manage"], "PATCH", `/api/v1/members/${target.userId}`, {
          role: "owner",
        }),
      },
      {
        studio: await harness.callStudio("admin", "members.remove", { userId: ownerId }),
        rest: await harness.callRest(["members:manage"], "DELETE", `/api/v1/members/${ownerId}`),
      },
      {
        studio: await harness.callStudio("admin", "members.invite", {
          email: "boss@example.com",
          role: "owner",
        }),
        rest: await harness.callRest(["members:manage"], "POST", "/api/v1/invitations", {
          email: "boss@example.com",
          role: "owner",
        }),
      },
    ];
    for (const attempt of attempts) {
      expect(attempt.studio).toMatchObject({ ok: false, code: "FORBIDDEN" });
      expect(attempt.rest.status).toBe(403);
      expect(attempt.rest.contentType).toContain("application/problem+json");
    }
    expect(await harness.auditSince(before)).toEqual([]);
  });
});
