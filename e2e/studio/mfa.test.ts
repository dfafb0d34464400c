import { generate } from "otplib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type StudioStack, signInAsOwner, startStudioStack } from "./stack";

/**
 * Multi-factor sign-in in Debian's Chromium: the owner enrols an authenticator app on the Account
 * security page (the secret is read from the page and codes generated with otplib, as an app would),
 * keeps the recovery codes, signs out, and signs in again with password and code.
 */
let stack: StudioStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStudioStack({ withRuntime: false });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The app's code `steps` time steps from now (each step's code is accepted once). */
const codeAt = (secret: string, steps: number) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe("multi-factor sign-in", () => {
  it("enrols an authenticator app, then signs in with password and code", async () => {
    try {
      await signInAsOwner(page, stack);

      await page.click(`a[title='Account security']`);
      await page.waitForURL(/\/account\/security$/);
      await page.click("button:has-text('Set up an authenticator app')");
      const secret = ((await page.textContent("[data-testid='mfa-secret']")) ?? "").trim();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await page.waitForSelector("img[alt^='QR code']");
      await page.fill("#enrol-code", await codeAt(secret, 0));
      await page.click("button:has-text('Turn on')");
      await page.waitForSelector("[data-testid='recovery-codes']");
      const codes = ((await page.textContent("[data-testid='recovery-codes'] pre")) ?? "").split("\n");
      expect(codes).toHaveLength(10);
      await page.click("button:has-text('I saved them')");
      await page.waitForSelector("[data-testid='mfa-on']");

      await page.click("button:has-text('Sign out')");
      await page.waitForURL(/\/sign-in/);
      await page.fill("#email", stack.owner.email);
      await page.fill("#password", stack.owner.password);
      await page.click("button[type=submit]");
      await page.waitForSelector("h1:has-text('Two-step verification')");
      // The enrolment's code is spent; the next step's code is fresh (±1 step is accepted).
      await page.fill("#mfa-code", await codeAt(secret, 1));
      await page.click("button:has-text('Verify')");
      await page.waitForURL(/\/bots$/);
      await page.waitForSelector("text=E2E bot");
    } catch (error) {
      await page.screenshot({ path: "/tmp/studio-e2e-mfa.png" }).catch(() => undefined);
      throw new Error(`${(error as Error).message}\n--- stack output ---\n${stack.log().slice(-3000)}`);
    }
  }, 180_000);
});

/** A tRPC mutation over HTTP, as a script would send it. */
const mutate = (path: string, input: unknown) =>
  fetch(`${stack.studioUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.studioUrl },
    body: JSON.stringify(input),
  });

describe("sign-in and sign-up abuse over HTTP", () => {
  it("throttles repeated failures with 429 and the wait, before checking the password", async () => {
    const email = `target-${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await mutate("auth.signIn", { email, password: "guess" })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const throttled = await mutate("auth.signIn", { email, password: "guess" });
    expect(throttled.status).toBe(429);
    expect(JSON.stringify(await throttled.json())).toContain(
      "Too many sign-in attempts. Try again in 1 second.",
    );
  });

  it("answers sign-up for a taken address exactly like for a new one, without a session", async () => {
    const answers = [];
    for (const email of [stack.owner.email, `new-${Date.now()}@example.com`]) {
      const response = await mutate("auth.signUp", {
        email,
        name: "Someone",
        password: "long enough password",
      });
      answers.push({
        status: response.status,
        body: await response.text(),
        cookie: response.headers.getSetCookie().length,
      });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 200, cookie: 0 });
  });
});
