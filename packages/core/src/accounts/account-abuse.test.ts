import { memoryMailer } from "@parley/infra";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CoreDeps } from "../context";
import { createUser } from "../tenants/tenants";
import { createHarness, type Harness } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { requestPasswordReset } from "./password-reset";
import { signIn } from "./sign-in";
import { signUp } from "./sign-up";

let harness: Harness;
let deps: CoreDeps;
const mailer = memoryMailer();
beforeAll(async () => {
  harness = await createHarness();
  deps = { ...harness.deps, mailer, studioUrl: "http://studio.test" };
}, 60_000);
afterAll(() => harness?.cleanup());
afterEach(() => vi.useRealTimers());

let counter = 0;
const address = (label: string) => `${label}-${counter++}-${Date.now()}@example.com`;
/** Each test its own client address, so the per-address counters do not mix. */
const client = () => ({ ipAddress: `198.51.100.${counter++}`, userAgent: "vitest" });

/** An account with a workspace (account events are audited in its workspaces). */
async function account(password = "right password") {
  const email = address("user");
  const user = await createUser(deps, { email, name: "U", password });
  const tenant = await deps.db.system.tenant.create({
    data: {
      name: "W",
      slug: `w-${counter++}-${Date.now()}`,
      memberships: { create: { userId: user.id, role: "owner" } },
    },
  });
  return { email, userId: user.id, tenantId: tenant.id };
}

const auditActions = async (tenantId: string) =>
  (await deps.db.forTenant(tenantId).auditLogEntry.findMany({ orderBy: { createdAt: "asc" } })).map(
    (row) => row.action,
  );

describe("sign-in throttling", () => {
  it("after 5 failures refuses even the right password with the wait, audited, without checking it", async () => {
    const { email, tenantId } = await account();
    const request = client();
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await rejection(signIn(deps, { email, password: "wrong one", now: new Date(), request }))).code,
      ).toBe("bad-credentials");
    }
    const throttled = await rejection(
      signIn(deps, { email, password: "right password", now: new Date(), request }),
    );
    expect(throttled.kind).toBe("rate_limited");
    expect(throttled.message).toMatch(/^Too many sign-in attempts\. Try again in 1 second\.$/);
    expect(throttled.details.retryAfterSeconds).toBe(1);
    const actions = await auditActions(tenantId);
    expect(actions.filter((a) => a === "auth.sign_in_throttled")).toHaveLength(1);
    // The right password was never checked: no sign-in happened.
    expect(actions.filter((a) => a.startsWith("auth.sign_in") && a !== "auth.sign_in_throttled")).toEqual(
      Array(5).fill("auth.sign_in_failed"),
    );
    // Another client address is throttled too: the count is the account's.
    expect(
      (
        await rejection(
          signIn(deps, { email, password: "right password", now: new Date(), request: client() }),
        )
      ).code,
    ).toBe("sign-in-throttled");
  });

  it("throttles an e-mail without an account exactly like one with an account", async () => {
    const request = client();
    const email = address("nobody");
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      codes.push(
        (await rejection(signIn(deps, { email, password: "wrong one", now: new Date(), request }))).code,
      );
    }
    expect(codes).toEqual([...Array(5).fill("bad-credentials"), "sign-in-throttled"]);
  });

  it("doubles the wait after each further failure", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-07T12:00:00Z") });
    const { email } = await account();
    const request = client();
    const attempt = () => rejection(signIn(deps, { email, password: "wrong one", now: new Date(), request }));
    for (let i = 0; i < 5; i += 1) await attempt();
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const refused = await attempt();
      expect(refused.code).toBe("sign-in-throttled");
      waits.push(refused.details.retryAfterSeconds!);
      vi.setSystemTime(Date.now() + refused.details.retryAfterSeconds! * 1000);
      expect((await attempt()).code).toBe("bad-credentials");
    }
    expect(waits).toEqual([1, 2, 4, 8]);
  });

  it("forgets an account's failures after a success", async () => {
    const { email } = await account();
    const request = client();
    for (let i = 0; i < 4; i += 1)
      await rejection(signIn(deps, { email, password: "wrong one", now: new Date(), request }));
    await signIn(deps, { email, password: "right password", now: new Date(), request });
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await rejection(signIn(deps, { email, password: "wrong one", now: new Date(), request }))).code,
      ).toBe("bad-credentials");
    }
  });

  it("throttles one client address trying many accounts", async () => {
    const request = client();
    const codes: string[] = [];
    for (let i = 0; i < 21; i += 1) {
      codes.push(
        (
          await rejection(
            signIn(deps, { email: address("spray"), password: "wrong one", now: new Date(), request }),
          )
        ).code,
      );
    }
    expect(codes.slice(0, 20).every((code) => code === "bad-credentials")).toBe(true);
    expect(codes[20]).toBe("sign-in-throttled");
  });
});

describe("password reset mails", () => {
  it("sends at most 3 an hour per address, answers the same, audits the extra ones", async () => {
    const { email, tenantId } = await account();
    for (let i = 0; i < 5; i += 1) {
      await expect(
        requestPasswordReset(deps, { email, now: new Date(), request: client() }),
      ).resolves.toBeUndefined();
    }
    expect(mailer.sent.filter((mail) => mail.to === email)).toHaveLength(3);
    const actions = await auditActions(tenantId);
    expect(actions.filter((a) => a === "auth.password_reset_requested")).toHaveLength(3);
    expect(actions.filter((a) => a === "auth.password_reset_throttled")).toHaveLength(2);
  });

  it("sends at most 10 an hour for one client address", async () => {
    const request = client();
    const emails = await Promise.all(Array.from({ length: 12 }, () => account().then((a) => a.email)));
    for (const email of emails) await requestPasswordReset(deps, { email, now: new Date(), request });
    expect(mailer.sent.filter((mail) => emails.includes(mail.to))).toHaveLength(10);
  });
});

describe("sign-up", () => {
  it("answers the same for a new and a taken address, and tells the owner by e-mail", async () => {
    const { email: taken, tenantId } = await account();
    const fresh = address("fresh");
    const answers = [
      await signUp(deps, {
        email: fresh,
        name: "F",
        password: "long enough",
        now: new Date(),
        request: client(),
      }),
      await signUp(deps, {
        email: taken,
        name: "F",
        password: "long enough",
        now: new Date(),
        request: client(),
      }),
    ];
    expect(answers).toEqual([undefined, undefined]);
    expect(mailer.sent.find((m) => m.to === fresh)?.text).toContain("/verify-email?token=");
    const warning = mailer.sent.find((m) => m.to === taken);
    expect(warning?.subject).toBe("Someone tried to sign up to Parley with your address");
    expect(warning?.text).not.toContain("token=");
    expect(await auditActions(tenantId)).toContain("auth.sign_up_existing_email");
    // The taken account is untouched: its password still works, the attempted one does not.
    expect(
      (
        await rejection(
          signIn(deps, { email: taken, password: "long enough", now: new Date(), request: client() }),
        )
      ).code,
    ).toBe("bad-credentials");
  });

  it("refuses a bad field without a word about accounts", async () => {
    const refused = await rejection(
      signUp(deps, {
        email: "not an address",
        name: "X",
        password: "short",
        now: new Date(),
        request: client(),
      }),
    );
    expect(refused.code).toBe("invalid-input");
    expect(refused.details.errors?.map((e) => e.path).sort()).toEqual(["email", "password"]);
  });
});
