import { memoryMailer } from "@parley/infra";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps, ServiceContext } from "../../context";
import { createTenant, createUser } from "../../tenants/tenants";
import { createHarness, type Harness } from "../../test-support/harness";
import { rejection } from "../../test-support/service-error";
import { signIn, signInWithSecondFactor } from "../sign-in";
import { completeMfaChallenge, issueMfaChallenge, MFA_CHALLENGE_TTL_MS } from "./challenge";
import {
  confirmMfaEnrolment,
  disableMfa,
  mfaStatus,
  regenerateRecoveryCodes,
  startMfaEnrolment,
} from "./enrolment";
import { mfaEnrolmentRequired, setWorkspaceMfaRequirement, workspaceMfaSetting } from "./require-mfa";
import { verifyTotp } from "./totp";

let harness: Harness;
let deps: CoreDeps;
beforeAll(async () => {
  harness = await createHarness();
  deps = { ...harness.deps, mailer: memoryMailer(), studioUrl: "http://studio.test" };
}, 60_000);
afterAll(() => harness?.cleanup());

let counter = 0;
const request = () => ({ ipAddress: `192.0.2.${counter++ % 250}`, userAgent: "vitest" });
/** A fixed instant at the start of a 30 s time step, and later ones. */
const T0 = new Date("2026-12-07T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const codeAt = (secret: string, when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });

/** A user with a workspace and MFA turned on at T0; its secret and recovery codes. */
async function enrolled() {
  const email = `mfa-${counter++}-${Date.now()}@example.com`;
  const user = await createUser(deps, { email, name: "M", password: "right password" });
  const tenant = await createTenant(deps, { name: "MFA", ownerUserId: user.id });
  const { secret, otpauthUri } = await startMfaEnrolment(deps, { userId: user.id });
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Parley:.+\?secret=[A-Z2-7]+/);
  const { recoveryCodes } = await confirmMfaEnrolment(deps, {
    userId: user.id,
    code: await codeAt(secret, T0),
    now: T0,
    request: request(),
  });
  return { email, userId: user.id, tenantId: tenant.id, secret, recoveryCodes };
}

describe("TOTP", () => {
  it("accepts the current and neighbouring steps only, and no step twice", async () => {
    const { secret } = await startMfaEnrolment(deps, {
      userId: (await createUser(deps, { email: `t-${counter++}-${Date.now()}@example.com`, name: "T" })).id,
    });
    const code = await codeAt(secret, T0);
    const step = Math.floor(T0.getTime() / 30_000);
    expect(await verifyTotp(secret, code, T0, null)).toBe(step);
    expect(await verifyTotp(secret, code, at(30), null)).toBe(step);
    expect(await verifyTotp(secret, code, at(-30), null)).toBe(step);
    expect(await verifyTotp(secret, code, at(60), null)).toBeNull();
    expect(await verifyTotp(secret, code, T0, step)).toBeNull();
    expect(await verifyTotp(secret, "12345", T0, null)).toBeNull();
  });
});

describe("enrolment", () => {
  it("enables with a right code only, hands out 10 recovery codes and stores neither secret nor codes in clear", async () => {
    const user = await createUser(deps, { email: `e-${counter++}-${Date.now()}@example.com`, name: "E" });
    const { secret } = await startMfaEnrolment(deps, { userId: user.id });
    const wrong = await rejection(
      confirmMfaEnrolment(deps, { userId: user.id, code: "000000", now: T0, request: request() }),
    );
    expect(wrong.code).toBe("mfa-code-invalid");
    const { recoveryCodes } = await confirmMfaEnrolment(deps, {
      userId: user.id,
      code: await codeAt(secret, T0),
      now: T0,
      request: request(),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const row = await deps.db.system.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mfaSecret).not.toContain(secret);
    const stored = await deps.db.system.mfaRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((r) => r.codeHash)).not.toContain(recoveryCodes[0]);
    expect(await mfaStatus(deps, user.id)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect((await rejection(startMfaEnrolment(deps, { userId: user.id }))).code).toBe("mfa-already-enabled");
  });
});

describe("two-step sign-in", () => {
  it("answers a right password with a challenge, then signs in with a fresh code, refusing a replayed one", async () => {
    const { email, userId, tenantId, secret } = await enrolled();
    const first = await signIn(deps, { email, password: "right password", now: at(10), request: request() });
    if (first.step !== "mfa") throw new Error("expected the second step");
    // The code used to confirm the enrolment (same time step) is spent.
    const replay = await rejection(
      signInWithSecondFactor(deps, {
        challengeToken: first.challengeToken,
        code: await codeAt(secret, T0),
        now: at(10),
        request: request(),
      }),
    );
    expect(replay.code).toBe("mfa-code-invalid");
    const fresh = await codeAt(secret, at(31));
    expect(
      await signInWithSecondFactor(deps, {
        challengeToken: first.challengeToken,
        code: fresh,
        now: at(31),
        request: request(),
      }),
    ).toEqual({ userId });
    // The challenge is single use, and the same code does not work in a new one.
    expect(
      (
        await rejection(
          completeMfaChallenge(deps, {
            challengeToken: first.challengeToken,
            code: fresh,
            now: at(32),
            request: request(),
          }),
        )
      ).code,
    ).toBe("mfa-challenge-invalid");
    const second = await issueMfaChallenge(deps, { userId, now: at(33) });
    expect(
      (
        await rejection(
          completeMfaChallenge(deps, {
            challengeToken: second.challengeToken,
            code: fresh,
            now: at(33),
            request: request(),
          }),
        )
      ).code,
    ).toBe("mfa-code-invalid");
    const actions = (await deps.db.forTenant(tenantId).auditLogEntry.findMany()).map((r) => r.action);
    expect(actions).toContain("auth.mfa_enabled");
    expect(actions).toContain("auth.mfa_failed");
    expect(actions).toContain("auth.sign_in");
  });

  it("accepts each recovery code once", async () => {
    const { userId, tenantId, recoveryCodes } = await enrolled();
    const code = recoveryCodes[3]!;
    const one = await issueMfaChallenge(deps, { userId, now: T0 });
    // Case and dashes do not matter.
    expect(
      await completeMfaChallenge(deps, {
        challengeToken: one.challengeToken,
        code: code.toUpperCase().replace("-", " "),
        now: T0,
        request: request(),
      }),
    ).toEqual({ userId });
    const two = await issueMfaChallenge(deps, { userId, now: T0 });
    expect(
      (
        await rejection(
          completeMfaChallenge(deps, {
            challengeToken: two.challengeToken,
            code,
            now: T0,
            request: request(),
          }),
        )
      ).code,
    ).toBe("mfa-code-invalid");
    expect(await mfaStatus(deps, userId)).toMatchObject({ recoveryCodesLeft: 9 });
    const used = await deps.db
      .forTenant(tenantId)
      .auditLogEntry.findMany({ where: { action: "auth.mfa_recovery_code_used" } });
    expect(used).toHaveLength(1);
    expect(used[0]!.after).toMatchObject({ step: "sign-in", recoveryCodesLeft: 9 });
  });

  it("expires a challenge after 5 minutes and after 5 wrong codes", async () => {
    const { userId, secret } = await enrolled();
    const late = await issueMfaChallenge(deps, { userId, now: at(60) });
    const afterExpiry = at(60 + MFA_CHALLENGE_TTL_MS / 1000 + 1);
    expect(
      (
        await rejection(
          completeMfaChallenge(deps, {
            challengeToken: late.challengeToken,
            code: await codeAt(secret, afterExpiry),
            now: afterExpiry,
            request: request(),
          }),
        )
      ).code,
    ).toBe("mfa-challenge-invalid");
    const guessed = await issueMfaChallenge(deps, { userId, now: at(120) });
    for (let i = 0; i < 5; i += 1) {
      expect(
        (
          await rejection(
            completeMfaChallenge(deps, {
              challengeToken: guessed.challengeToken,
              code: "000000",
              now: at(120),
              request: request(),
            }),
          )
        ).code,
      ).toBe("mfa-code-invalid");
    }
    expect(
      (
        await rejection(
          completeMfaChallenge(deps, {
            challengeToken: guessed.challengeToken,
            code: await codeAt(secret, at(120)),
            now: at(120),
            request: request(),
          }),
        )
      ).code,
    ).toBe("mfa-challenge-invalid");
  });
});

describe("guessing codes", () => {
  it("costs a sign-in attempt per challenge until a code is right, so it backs off like passwords", async () => {
    const { email, secret } = await enrolled();
    const from = request();
    for (let i = 0; i < 5; i += 1) {
      const step = await signIn(deps, { email, password: "right password", now: at(10), request: from });
      expect(step.step).toBe("mfa");
    }
    const throttled = await rejection(
      signIn(deps, { email, password: "right password", now: at(10), request: from }),
    );
    expect(throttled.code).toBe("sign-in-throttled");
    // A completed two-step sign-in forgets the count.
    const { challengeToken } = await issueMfaChallenge(deps, {
      userId: (await deps.db.system.user.findUniqueOrThrow({ where: { email } })).id,
      now: at(40),
    });
    await signInWithSecondFactor(deps, {
      challengeToken,
      code: await codeAt(secret, at(40)),
      now: at(40),
      request: from,
    });
    expect((await signIn(deps, { email, password: "right password", now: at(41), request: from })).step).toBe(
      "mfa",
    );
  });
});

describe("managing MFA", () => {
  it("regenerates recovery codes with a code (old ones stop working) and disables with password and code", async () => {
    const { userId, tenantId, secret, recoveryCodes } = await enrolled();
    expect(
      (
        await rejection(
          regenerateRecoveryCodes(deps, { userId, code: "000000", now: at(30), request: request() }),
        )
      ).code,
    ).toBe("mfa-code-invalid");
    const renewed = await regenerateRecoveryCodes(deps, {
      userId,
      code: await codeAt(secret, at(30)),
      now: at(30),
      request: request(),
    });
    expect(renewed.recoveryCodes).toHaveLength(10);
    const old = await issueMfaChallenge(deps, { userId, now: at(31) });
    expect(
      (
        await rejection(
          completeMfaChallenge(deps, {
            challengeToken: old.challengeToken,
            code: recoveryCodes[0]!,
            now: at(31),
            request: request(),
          }),
        )
      ).code,
    ).toBe("mfa-code-invalid");
    expect(
      (
        await rejection(
          disableMfa(deps, {
            userId,
            password: "wrong",
            code: await codeAt(secret, at(60)),
            now: at(60),
            request: request(),
          }),
        )
      ).code,
    ).toBe("wrong-password");
    await disableMfa(deps, {
      userId,
      password: "right password",
      code: renewed.recoveryCodes[0]!,
      now: at(60),
      request: request(),
    });
    expect(await mfaStatus(deps, userId)).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0 });
    const actions = (await deps.db.forTenant(tenantId).auditLogEntry.findMany()).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "auth.mfa_recovery_codes_regenerated",
        "auth.mfa_disabled",
        "auth.mfa_recovery_code_used",
      ]),
    );
  });
});

describe("workspace requirement", () => {
  it("only an owner requires MFA; members without it must enrol", async () => {
    const owner = await createUser(deps, { email: `o-${counter++}-${Date.now()}@example.com`, name: "O" });
    const tenant = await createTenant(deps, { name: "Strict", ownerUserId: owner.id });
    const admin = await createUser(deps, { email: `a-${counter++}-${Date.now()}@example.com`, name: "A" });
    await deps.db.system.membership.create({
      data: { tenantId: tenant.id, userId: admin.id, role: "admin" },
    });
    const as = (userId: string, role: "owner" | "admin"): ServiceContext => ({
      deps,
      tenantId: tenant.id,
      actor: { type: "user", userId, role, label: role },
    });
    expect(
      (await rejection(setWorkspaceMfaRequirement(as(admin.id, "admin"), { requireMfa: true }))).kind,
    ).toBe("forbidden");
    expect(await mfaEnrolmentRequired(deps, tenant.id, admin.id)).toBe(false);
    // The owner must use MFA before requiring it (no locking oneself out).
    expect(
      (await rejection(setWorkspaceMfaRequirement(as(owner.id, "owner"), { requireMfa: true }))).code,
    ).toBe("mfa-enrol-first");
    const { secret } = await startMfaEnrolment(deps, { userId: owner.id });
    await confirmMfaEnrolment(deps, {
      userId: owner.id,
      code: await codeAt(secret, T0),
      now: T0,
      request: request(),
    });
    await setWorkspaceMfaRequirement(as(owner.id, "owner"), { requireMfa: true });
    expect(await workspaceMfaSetting(as(owner.id, "owner"))).toEqual({ requireMfa: true });
    expect(await mfaEnrolmentRequired(deps, tenant.id, admin.id)).toBe(true);
    const audit = await deps.db
      .forTenant(tenant.id)
      .auditLogEntry.findMany({ where: { action: "tenant.mfa_required_changed" } });
    expect(audit.map((r) => r.after)).toEqual([{ requireMfa: true }]);
  });
});
