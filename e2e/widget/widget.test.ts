import { createParleyClient } from "@parley/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, runNode, startWidgetTarget, type WidgetTarget } from "./harness";
import {
  focusedInWidget,
  inWidget,
  seriousAxeViolations,
  waitForText,
  waitInWidget,
  widgetHost,
  widgetText,
} from "./page-helpers";

let target: WidgetTarget;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Console errors about the Content-Security-Policy: the widget must cause none. */
let cspErrors: string[];

beforeAll(async () => {
  [target, browser] = await Promise.all([startWidgetTarget(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await target?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  cspErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content.Security.Policy|Refused to/i.test(message.text()))
      cspErrors.push(message.text());
  });
});
afterEach(async () => {
  await context?.close();
});

/** The conversation's transcript straight from the API (the typed client, as the demo page's origin). */
async function transcript(conversationId: string) {
  const widgetApi = createParleyClient({
    baseUrl: target.url,
    apiKey: target.publishableKey,
    headers: { origin: target.url },
  });
  const { data, error } = await widgetApi.GET("/api/v1/conversations/{conversationId}", {
    params: { path: { conversationId } },
  });
  if (!data) throw new Error(`transcript of ${conversationId}: ${JSON.stringify(error)}`);
  return data;
}

const storedConversationId = () =>
  page.evaluate((botId) => localStorage.getItem(`parley:${botId}:conversation`), target.botId);

/** Opens the demo page and the chat with the keyboard only; waits for the first question. */
async function openWithKeyboard(url = target.demoUrl): Promise<void> {
  await page.goto(url);
  await page.locator(`${widgetHost} .launcher`).waitFor();
  for (let tab = 0; tab < 10 && (await focusedInWidget(page)) !== "button:"; tab++)
    await page.keyboard.press("Tab");
  expect(await page.locator(`${widgetHost} .launcher`).getAttribute("aria-expanded")).toBe("false");
  await page.keyboard.press("Enter");
  await waitForText(page, "What's your name?");
  expect(await focusedInWidget(page)).toBe("parley-input");
}

describe(`widget on the ${process.env.PARLEY_E2E_RUNTIME === "fake" ? "fake" : "real"} runtime`, () => {
  it("completes the demo flow by keyboard, survives a reload, and passes axe", async () => {
    await openWithKeyboard();
    expect(await page.getByRole("dialog", { name: /pizza|chat/i }).isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.keyboard.type("Ada");
    await page.keyboard.press("Enter");
    await waitForText(page, "Which size would you like?");

    // Reload mid-conversation: same conversation, transcript restored, window still open.
    const conversationId = await storedConversationId();
    expect(conversationId).toBeTruthy();
    await page.reload();
    await waitForText(page, "Which size would you like?");
    expect(await storedConversationId()).toBe(conversationId);
    const restored = await widgetText(page);
    expect(restored).toContain("What's your name?");
    expect(restored).toContain("Ada");

    // Pick "Large" with the keyboard: the choices sit just before the message box.
    await page.locator(`${widgetHost} #parley-input`).focus();
    await page.keyboard.press("Shift+Tab");
    expect(await focusedInWidget(page)).toBe("button:Large (35 cm)");
    await page.keyboard.press("Enter");
    await waitForText(page, "What phone number can we reach you at?");
    expect(await page.locator(`${widgetHost} #parley-input`).getAttribute("type")).toBe("tel");
    expect(await focusedInWidget(page)).toBe("parley-input");

    // A typo is caught before sending, with an accessible error.
    await page.keyboard.type("call me");
    await page.keyboard.press("Enter");
    await waitInWidget(page, (host) => host.shadowRoot?.querySelector('[role="alert"].error'));
    expect(await page.locator(`${widgetHost} #parley-input`).getAttribute("aria-invalid")).toBe("true");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("+1 555 123 4567");
    await page.keyboard.press("Enter");

    await waitForText(page, "Large pizzas come with free garlic bread");
    await waitForText(page, "Start a new conversation");
    await waitInWidget(page, (host) =>
      (host.shadowRoot?.activeElement?.textContent ?? "").includes("Start a new"),
    );
    expect(await seriousAxeViolations(page)).toEqual([]);

    const entries = (await transcript(conversationId ?? "")).entries;
    const userTurns = entries.filter((entry) => entry.author === "user");
    expect(userTurns).toHaveLength(3);
    expect(cspErrors).toEqual([]);
    if (target.apiKey) {
      // The same conversation through the CLI, which reads the API with @parley/client.
      const listed = await runNode(
        "packages/cli/bin/parley.js",
        ["conversations", "--url", target.url, "--key", target.apiKey, "--bot", target.botId, "--json"],
        process.env,
      );
      const listing = JSON.parse(listed) as { items: { conversationId: string; status: string }[] };
      expect(listing.items).toContainEqual(expect.objectContaining({ conversationId, status: "ended" }));
    }

    // Restart: a fresh conversation.
    await page.keyboard.press("Enter");
    await waitInWidget(page, (host) => !host.shadowRoot?.textContent?.includes("Start a new conversation"));
    await waitForText(page, "What's your name?");
    expect(await storedConversationId()).not.toBe(conversationId);
  });

  it("shows a streamed reply token by token", async (testContext) => {
    if (!target.streamPrompt || !target.streamingDemoUrl) return testContext.skip();
    await openWithKeyboard(target.streamingDemoUrl);
    // Record every text the streaming bubble shows, as it changes.
    await inWidget(page, (host) => {
      const seen: string[] = [];
      (window as unknown as { drafts: string[] }).drafts = seen;
      new MutationObserver(() => {
        const draft = host.shadowRoot?.querySelector(".streaming .text")?.textContent;
        if (draft && seen.at(-1) !== draft) seen.push(draft);
      }).observe(host.shadowRoot as ShadowRoot, { subtree: true, childList: true, characterData: true });
    });
    await page.keyboard.type(target.streamPrompt);
    await page.keyboard.press("Enter");
    // Done when a draft was seen and the complete message replaced it.
    await waitInWidget(
      page,
      (host) =>
        (window as unknown as { drafts: string[] }).drafts.length > 0 &&
        !host.shadowRoot?.querySelector(".streaming"),
      undefined,
      20_000,
    );
    const drafts = await page.evaluate(() => (window as unknown as { drafts: string[] }).drafts);
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    for (let index = 1; index < drafts.length; index++)
      expect(drafts[index]?.startsWith(drafts[index - 1] ?? "")).toBe(true);
    // The final message holds the whole streamed text (markdown rendered).
    const lastBot = await inWidget(page, (host) => {
      const rows = host.shadowRoot?.querySelectorAll(".row.bot .text");
      return rows?.[rows.length - 1]?.textContent ?? "";
    });
    expect(lastBot.replace(/\*/g, "")).toContain(
      (drafts.at(-1) ?? "").replace(/\*/g, "").trim().slice(0, 20),
    );
    expect(await page.locator(`${widgetHost} .streaming`).count()).toBe(0);
  });

  it("shows hostile HTML and foreign markdown images as text, with no request", async () => {
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    const hostile = {
      type: "text",
      nodeId: "evil",
      format: "markdown",
      source: "llm",
      text: 'Look: <img src=x onerror="window.pwned=1"> and ![pixel](https://tracker.evil.example/p.png?c=1)',
    };
    // Whatever the runtime answers, the wire also carries this bot message.
    await page.route("**/api/v1/conversations/*/messages", async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      const injected = body.includes("event: done")
        ? body.replace("event: done", `event: message\ndata: ${JSON.stringify(hostile)}\n\nevent: done`)
        : body;
      await route.fulfill({ response, body: injected });
    });
    await openWithKeyboard();
    await page.keyboard.type("Mallory");
    await page.keyboard.press("Enter");
    await waitForText(page, "Look: <img src=x onerror=");
    const link = page.locator(`${widgetHost} a.image-link`);
    expect(await link.textContent()).toBe("Image: pixel");
    expect(await link.getAttribute("rel")).toContain("noopener");
    expect(await inWidget(page, (host) => host.shadowRoot?.querySelectorAll(".messages img").length)).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(requests.filter((url) => url.includes("evil.example") || /\/x(\?|$)/.test(url))).toEqual([]);
  });

  it("never turns a refused image's javascript: or data: URL into a link", async () => {
    const refused = [
      { type: "image", nodeId: "js", url: "javascript:window.pwned=1", alt: "js" },
      { type: "image", nodeId: "data", url: "data:text/html,<script>window.pwned=1</script>", alt: "data" },
      {
        type: "card",
        nodeId: "card",
        title: "Card",
        imageUrl: "javascript:window.pwned=1",
        buttons: [{ label: "Go", url: "javascript:window.pwned=1" }],
      },
    ];
    await page.route("**/api/v1/conversations/*/messages", async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      const extra = refused.map((message) => `event: message\ndata: ${JSON.stringify(message)}\n\n`).join("");
      await route.fulfill({ response, body: body.replace("event: done", `${extra}event: done`) });
    });
    await openWithKeyboard();
    await page.keyboard.type("Mallory");
    await page.keyboard.press("Enter");
    await waitForText(page, "Image: data");
    const hrefs = await inWidget(page, (host) =>
      [...(host.shadowRoot?.querySelectorAll("[href], [src]") ?? [])].map(
        (element) => element.getAttribute("href") ?? element.getAttribute("src") ?? "",
      ),
    );
    expect(hrefs.filter((href) => !/^(https?:|mailto:)/.test(href))).toEqual([]);
    for (const label of ["Image: js", "Image: data", "Image: Card"])
      expect(await widgetText(page)).toContain(label);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it("resends a message whose stream was cut before `done`, and the runtime stores it once", async () => {
    const posts: { clientMessageId?: string }[] = [];
    let cut = false;
    await page.route("**/api/v1/conversations/*/messages", async (route) => {
      posts.push(JSON.parse(route.request().postData() ?? "{}"));
      if (cut) return route.continue();
      cut = true;
      // The runtime processes (and commits) the message, but the connection drops before `done`.
      const response = await route.fetch();
      const body = await response.text();
      await route.fulfill({ response, body: body.slice(0, body.indexOf("event: done")) });
    });
    await openWithKeyboard();
    await page.keyboard.type("Mallory");
    await page.keyboard.press("Enter");
    // Acknowledged only by the resend's `done`: the message ends up sent (not sending, not failed).
    await waitInWidget(page, (host) =>
      host.shadowRoot?.querySelector(".row.user.sent")?.textContent?.includes("Mallory"),
    );
    expect(posts).toHaveLength(2);
    expect(posts[0]?.clientMessageId).toBeTruthy();
    expect(posts[1]?.clientMessageId).toBe(posts[0]?.clientMessageId);
    const conversationId = await storedConversationId();
    const stored = await transcript(conversationId ?? "");
    const mine = stored.entries.filter((entry) => entry.author === "user");
    expect(mine.map((entry) => ("text" in entry.message ? entry.message.text : undefined))).toEqual([
      "Mallory",
    ]);
  });

  it("stays usable on a host page with hostile CSS, and leaks no style out", async () => {
    const hostileUrl = `${target.url}/__hostile-host-page`;
    await page.route(hostileUrl, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html><head><style>
          * { all: unset !important; }
          html { font-size: 72px !important; }
          body * { font-size: 90px !important; line-height: 5 !important; letter-spacing: 12px !important; }
          div, button { display: block !important; position: static !important; transform: none; }
        </style></head><body><p class="bubble text button" id="host-p">Host text stays host text</p>
        <script src="${target.url}/widget.js" data-bot-id="${target.botId}" data-key="${target.publishableKey}" async></script>
        </body></html>`,
      }),
    );
    await page.goto(hostileUrl);
    const launcher = page.locator(`${widgetHost} .launcher`);
    await launcher.waitFor();
    const box = await launcher.boundingBox();
    expect(box?.width).toBe(60);
    expect(box?.height).toBe(60);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeGreaterThan(1200);
    await launcher.click();
    await waitForText(page, "What's your name?");
    const windowBox = await page.locator(`${widgetHost} .window`).boundingBox();
    expect(windowBox?.width).toBe(380);
    expect((windowBox?.y ?? -1) >= 0 && (windowBox?.y ?? 0) + (windowBox?.height ?? 0) <= 800).toBe(true);
    const fontSize = await inWidget(
      page,
      (host) => getComputedStyle(host.shadowRoot?.querySelector("#parley-input") as Element).fontSize,
    );
    expect(fontSize).toBe("15px");
    await page.locator(`${widgetHost} #parley-input`).fill("Grace");
    await page.keyboard.press("Enter");
    await waitForText(page, "Which size would you like?");
    // The widget's `.bubble`/`.button` rules do not reach the host's own element.
    const hostStyle = await page.evaluate(() => {
      const style = getComputedStyle(document.getElementById("host-p") as Element);
      return { background: style.backgroundColor, radius: style.borderRadius };
    });
    expect(hostStyle).toEqual({ background: "rgba(0, 0, 0, 0)", radius: "0px" });
  });

  it("shows a banner while offline and delivers the message exactly once when back", async () => {
    await openWithKeyboard();
    const conversationId = await storedConversationId();
    await context.setOffline(true);
    await page.keyboard.type("Linus");
    await page.keyboard.press("Enter");
    await waitForText(page, "Connection lost");
    expect(await page.locator(`${widgetHost} [role="alert"]`).first().isVisible()).toBe(true);
    await context.setOffline(false);
    await waitForText(page, "Which size would you like?", 20_000);
    await waitInWidget(page, (host) => !host.shadowRoot?.textContent?.includes("Connection lost"));
    const entries = (await transcript(conversationId ?? "")).entries;
    expect(entries.filter((entry) => entry.author === "user")).toHaveLength(1);
  });

  it("renders inline inside the target element, with no launcher", async () => {
    const separator = target.demoUrl.includes("?") ? "&" : "?";
    await page.goto(`${target.demoUrl}${separator}mode=inline`);
    await waitForText(page, "What's your name?");
    expect(await page.locator("#chat [data-parley-widget]").count()).toBe(1);
    expect(await page.locator(`${widgetHost} .launcher`).count()).toBe(0);
    expect(await page.getByRole("region", { name: /pizza|chat/i }).isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it("opens on load in popup mode and passes axe in the dark theme", async () => {
    const pageUrl = `${target.url}/__popup-dark-page`;
    await page.route(pageUrl, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="en"><head><title>Popup</title></head><body><main><h1>Shop</h1></main>
        <script src="${target.url}/widget.js" data-bot-id="${target.botId}" data-key="${target.publishableKey}" data-mode="popup" data-theme="dark" async></script>
        </body></html>`,
      }),
    );
    await page.goto(pageUrl);
    await waitForText(page, "What's your name?");
    expect(await page.locator(`${widgetHost} .frame.dark`).count()).toBe(1);
    expect(await page.locator(`${widgetHost} .launcher`).getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.type("Ada");
    await page.keyboard.press("Enter");
    await waitForText(page, "Which size would you like?");
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Escape closes the window and gives focus back to the launcher.
    await page.keyboard.press("Escape");
    await waitInWidget(page, (host) => !host.shadowRoot?.querySelector(".window"));
    expect(await focusedInWidget(page)).toBe("button:");
  });

  it("lets the host page drive it through window.Parley", async () => {
    await page.goto(target.demoUrl);
    await page.waitForFunction(() => "Parley" in window);
    await page.locator(`${widgetHost} .launcher`).waitFor();
    // The closed state (launcher only) is accessible too.
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.evaluate(() => {
      const parley = (
        window as unknown as {
          Parley: { on: (event: string, fn: (m: unknown) => void) => void; open: () => void };
        }
      ).Parley;
      (window as unknown as { heard: unknown[] }).heard = [];
      parley.on("message", (message) => (window as unknown as { heard: unknown[] }).heard.push(message));
      parley.open();
    });
    await waitForText(page, "What's your name?");
    await page.evaluate(() =>
      (window as unknown as { Parley: { send: (text: string) => Promise<void> } }).Parley.send("Barbara"),
    );
    await waitForText(page, "Which size would you like?");
    const heard = await page.evaluate(() =>
      (window as unknown as { heard: { type: string }[] }).heard.map((message) => message.type),
    );
    expect(heard).toContain("ask");
    await page.evaluate(() => (window as unknown as { Parley: { close: () => void } }).Parley.close());
    await waitInWidget(page, (host) => !host.shadowRoot?.querySelector(".window"));
  });
});
