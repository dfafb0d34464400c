import { TRPCError } from "@trpc/server";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioHarness } from "../test-support/harness";

let harness: StudioHarness;
beforeAll(async () => {
  harness = await createStudioHarness();
});
afterAll(() => harness?.cleanup());

const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const serviceCode = (error.cause as { code?: string } | undefined)?.code;
    return serviceCode ? `${error.code} ${serviceCode}` : error.code;
  }
};

/** A TOTP code `offsetSteps` steps from now (each code is accepted once: use a new step each time). */
const code = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

describe("multi-factor sign-in through the studio API", () => {
  it("enrols, then signs in in two steps: the password alone starts no session", async () => {
    const { tenantId, ownerId, ownerEmail } = await harness.tenant();
    const owner = await harness.as(ownerId, tenantId);
    expect(await owner.account.mfaStatus()).toMatchObject({ enabled: false });
    const { secret, otpauthUri } = await owner.account.startMfaEnrolment();
    expect(otpauthUri).toContain(`secret=${secret}`);
    const { recoveryCodes } = await owner.account.confirmMfaEnrolment({ code: await code(secret) });
    expect(recoveryCodes).toHaveLength(10);

    const visitor = await harness.anonymous();
    const first = await visitor.auth.signIn({ email: ownerEmail, password: "correct horse battery" });
    expect(first.mfaRequired).toBe(true);
    expect(harness.tokenOf(visitor)).toBeNull();
    if (!first.mfaRequired) throw new Error("expected the second step");
    expect(
      await failureOf(
        visitor.auth.signInSecondFactor({ challengeToken: first.challengeToken, code: "000000" }),
      ),
    ).toBe("BAD_REQUEST mfa-code-invalid");
    await visitor.auth.signInSecondFactor({
      challengeToken: first.challengeToken,
      code: await code(secret, 1),
    });
    const session = harness.tokenOf(visitor);
    expect(session).toMatch(/^ses_/);
    expect((await (await harness.withToken(session!)).auth.me())?.user.email).toBe(ownerEmail);

    // A recovery code works as the second step too.
    const again = await harness.anonymous();
    const second = await again.auth.signIn({ email: ownerEmail, password: "correct horse battery" });
    if (!second.mfaRequired) throw new Error("expected the second step");
    await again.auth.signInSecondFactor({ challengeToken: second.challengeToken, code: recoveryCodes[0]! });
    expect(harness.tokenOf(again)).toMatch(/^ses_/);
  });

  it("a workspace requiring MFA refuses members without it until they enrol; only the owner sets it", async () => {
    const { tenantId, ownerId } = await harness.tenant();
    const admin = await harness.member(tenantId, "admin");
    const editor = await harness.member(tenantId, "editor");
    const adminCaller = await harness.as(admin.userId, tenantId);
    expect(await failureOf(adminCaller.tenants.setRequireMfa({ requireMfa: true }))).toBe("FORBIDDEN");

    const owner = await harness.as(ownerId, tenantId);
    // An owner without MFA may not require it (they would lock themselves out).
    expect(await failureOf(owner.tenants.setRequireMfa({ requireMfa: true }))).toBe(
      "CONFLICT mfa-enrol-first",
    );
    const ownerSecret = (await owner.account.startMfaEnrolment()).secret;
    await owner.account.confirmMfaEnrolment({ code: await code(ownerSecret) });
    await owner.tenants.setRequireMfa({ requireMfa: true });
    expect(await owner.tenants.mfaSetting()).toEqual({ requireMfa: true });
    const editorCaller = await harness.as(editor.userId, tenantId);
    expect(await failureOf(editorCaller.bots.list())).toBe("FORBIDDEN mfa-enrolment-required");
    expect((await editorCaller.auth.me())?.mfaEnrolmentRequired).toBe(true);

    // Enrolling (an account action, not a workspace one) opens the workspace again.
    const { secret } = await editorCaller.account.startMfaEnrolment();
    await editorCaller.account.confirmMfaEnrolment({ code: await code(secret) });
    const enrolled = await harness.as(editor.userId, tenantId);
    expect(await failureOf(enrolled.bots.list())).toBe("OK");
    expect((await enrolled.auth.me())?.mfaEnrolmentRequired).toBe(false);
  });

  it("disables with password and code, and regenerates recovery codes with a code", async () => {
    const { tenantId, ownerId } = await harness.tenant();
    const owner = await harness.as(ownerId, tenantId);
    const { secret } = await owner.account.startMfaEnrolment();
    const { recoveryCodes } = await owner.account.confirmMfaEnrolment({ code: await code(secret) });
    expect(await failureOf(owner.account.regenerateRecoveryCodes({ code: "000000" }))).toBe(
      "BAD_REQUEST mfa-code-invalid",
    );
    const renewed = await owner.account.regenerateRecoveryCodes({ code: recoveryCodes[0]! });
    expect(renewed.recoveryCodes).not.toContain(recoveryCodes[1]);
    expect(
      await failureOf(owner.account.disableMfa({ password: "wrong password", code: await code(secret, 1) })),
    ).toBe("BAD_REQUEST wrong-password");
    await owner.account.disableMfa({ password: "correct horse battery", code: await code(secret, 1) });
    expect(await owner.account.mfaStatus()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
  });
});
