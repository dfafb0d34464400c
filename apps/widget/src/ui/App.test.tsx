// @vitest-environment happy-dom
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { json, type ScriptedHandler, startScriptedServer } from "../../test/scripted-server";
import { createConversationApi } from "../client/api";
import { createImagePolicy } from "../client/images";
import { ChatSession } from "../client/session";
import type { OutgoingMessage } from "../client/types";
import { App } from "./App";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const cors = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "*",
  "access-control-allow-methods": "*",
};

/** Renders the widget (inline mode) against a server whose stored transcript holds `messages`. */
async function renderWith(messages: OutgoingMessage[], status = "waiting", onPost?: ScriptedHandler) {
  const server = await startScriptedServer((request, response, index) => {
    if (request.method === "OPTIONS") {
      response.writeHead(204, cors);
      return response.end();
    }
    for (const [name, value] of Object.entries(cors)) response.setHeader(name, value);
    if (request.method === "POST" && onPost) return onPost(request, response, index);
    json(response, 200, {
      conversationId: "c_1",
      botId: "bot_1",
      status,
      channel: "web",
      startedAt: "",
      endedAt: null,
      entries: messages.map((message, seq) => ({ seq, author: "bot", createdAt: "", message })),
    });
  });
  const store = { get: () => "c_1", set: () => undefined, clear: () => undefined };
  const api = createConversationApi({ runtimeUrl: server.url, botId: "bot_1", publishableKey: "pk_test" });
  const session = new ChatSession({ api, store, maxTypingMs: 0, retryDelaysMs: [] });
  const host = document.createElement("div");
  document.body.appendChild(host);
  const root = host.attachShadow({ mode: "open" });
  render(
    <App
      context={{ session, theme: { title: "Pizza bot" }, images: createImagePolicy(server.url) }}
      mode="inline"
      initiallyOpen
      dark={false}
      control={{}}
    />,
    root,
  );
  await session.ensureStarted();
  await new Promise((resolve) => setTimeout(resolve, 0));
  cleanup = async () => {
    render(null, root);
    host.remove();
    session.dispose();
    await server.close();
  };
  return { root, session, server };
}

const text = (value: string, format: "plain" | "markdown" = "plain"): OutgoingMessage => ({
  type: "text",
  nodeId: "n",
  text: value,
  format,
  source: "flow",
});

describe("App rendering", () => {
  it("renders text, markdown, image, card and handoff messages", async () => {
    const { root } = await renderWith([
      text("Hello **there**", "markdown"),
      { type: "image", nodeId: "i", url: "https://cdn.example.com/p.png", alt: "A pizza" },
      {
        type: "card",
        nodeId: "c",
        title: "Margherita",
        subtitle: "Tomato, mozzarella",
        buttons: [
          { label: "Order", value: "order" },
          { label: "Menu", url: "https://shop.example.com/menu" },
        ],
      },
      { type: "handoff", nodeId: "h", priority: "normal" },
    ]);
    expect(root.querySelector(".text strong")?.textContent).toBe("there");
    expect(root.querySelector<HTMLImageElement>("img.image")?.alt).toBe("A pizza");
    expect(root.querySelector(".card-title")?.textContent).toBe("Margherita");
    const menu = root.querySelector<HTMLAnchorElement>(".card a");
    expect(menu?.getAttribute("href")).toBe("https://shop.example.com/menu");
    expect(menu?.getAttribute("rel")).toContain("noopener");
    expect(root.querySelector(".notice.handoff")?.textContent).toContain("agent");
    expect(root.querySelector('[role="log"]')?.getAttribute("aria-live")).toBe("polite");
  });

  it("shows raw HTML as text and a foreign markdown image as a link, never as an <img>", async () => {
    const { root } = await renderWith([
      text('<img src=x onerror="window.pwned=1"> ![tracker](https://evil.example/t.png)', "markdown"),
    ]);
    const bubble = root.querySelector(".row.bot .text");
    expect(bubble?.textContent).toContain('<img src=x onerror="window.pwned=1">');
    expect(root.querySelectorAll("img")).toHaveLength(0);
    const link = root.querySelector<HTMLAnchorElement>("a.image-link");
    expect(link?.textContent).toBe("Image: tracker");
    expect(link?.getAttribute("href")).toBe("https://evil.example/t.png");
  });

  it("renders a refused image as a link only for http(s) URLs, never a javascript: or data: href", async () => {
    const { root } = await renderWith([
      { type: "image", nodeId: "a", url: "javascript:window.pwned=1", alt: "js" },
      { type: "image", nodeId: "b", url: "data:text/html,<script>window.pwned=1</script>", alt: "data" },
      { type: "image", nodeId: "c", url: "  JavaScript:alert(1)", alt: "mixed case" },
      { type: "image", nodeId: "d", url: "http://plain.example/p.png", alt: "plain http" },
      { type: "card", nodeId: "e", title: "Card", imageUrl: "javascript:alert(1)", buttons: [] },
    ]);
    const hrefs = [...root.querySelectorAll("[href], [src]")].map(
      (element) => element.getAttribute("href") ?? element.getAttribute("src"),
    );
    expect(hrefs).toEqual(["http://plain.example/p.png"]);
    const labels = [...root.querySelectorAll(".image-link")].map((element) => element.textContent);
    expect(labels).toEqual([
      "Image: js",
      "Image: data",
      "Image: mixed case",
      "Image: plain http",
      "Image: Card",
    ]);
  });

  it("offers the choices of the current question and sends the picked value", async () => {
    const { root, server } = await renderWith(
      [
        {
          type: "ask",
          nodeId: "size",
          text: "Which size?",
          attempt: 0,
          input: {
            kind: "choice",
            choices: [
              { label: "Small", value: "s" },
              { label: "Large", value: "l" },
            ],
          },
        },
      ],
      "waiting",
      (_request, response) => json(response, 200, { messages: [text("Large it is")], status: "waiting" }),
    );
    const buttons = [...root.querySelectorAll<HTMLButtonElement>(".choices button")];
    expect(buttons.map((button) => button.textContent)).toEqual(["Small", "Large"]);
    buttons[1]?.click();
    await expect.poll(() => root.querySelector(".row.user .text")?.textContent).toBe("Large");
    await expect.poll(() => server.seen.filter((request) => request.method === "POST").length).toBe(1);
    expect(
      (server.seen.find((request) => request.method === "POST")?.body as { choice: string } | undefined)
        ?.choice,
    ).toBe("l");
    await expect.poll(() => root.textContent).toContain("Large it is");
    expect(root.querySelectorAll(".choices button")).toHaveLength(0);
  });

  it("lets the visitor tick several options of a multiple choice question", async () => {
    const { root, server } = await renderWith(
      [
        {
          type: "ask",
          nodeId: "toppings",
          text: "Toppings?",
          attempt: 0,
          input: {
            kind: "choice",
            multiple: true,
            choices: [
              { label: "Ham", value: "ham" },
              { label: "Olives", value: "olives" },
              { label: "Corn", value: "corn" },
            ],
          },
        },
      ],
      "waiting",
      (_request, response) => json(response, 200, { messages: [], status: "waiting" }),
    );
    const boxes = [...root.querySelectorAll<HTMLInputElement>('.multi input[type="checkbox"]')];
    expect(boxes).toHaveLength(3);
    boxes[0]?.click();
    boxes[2]?.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.querySelector<HTMLButtonElement>('.multi button[type="submit"]')?.click();
    await expect.poll(() => server.seen.filter((request) => request.method === "POST").length).toBe(1);
    expect(
      (server.seen.find((request) => request.method === "POST")?.body as { choice: string[] } | undefined)
        ?.choice,
    ).toEqual(["ham", "corn"]);
    expect(root.querySelector(".row.user .text")?.textContent).toBe("Ham, Corn");
  });

  it("checks an email answer before sending and shows the flow's hint", async () => {
    const { root, server } = await renderWith([
      {
        type: "ask",
        nodeId: "email",
        text: "Your email?",
        attempt: 0,
        input: { kind: "email", hint: "We never spam." },
      },
    ]);
    const input = root.querySelector<HTMLInputElement>("#parley-input");
    expect(input?.type).toBe("email");
    expect(root.querySelector("#parley-hint")?.textContent).toBe("We never spam.");
    if (!input) throw new Error("no input");
    input.value = "not-an-email";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.querySelector<HTMLFormElement>("form.composer")?.requestSubmit();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The same words as the runtime's refusal and the studio's test chat, and the hint not shown twice.
    expect(root.querySelector('[role="alert"].error')?.textContent).toBe(
      "That answer doesn't fit. Expected: We never spam.",
    );
    expect(root.querySelector("#parley-hint")).toBeNull();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(server.seen.filter((request) => request.method === "POST")).toHaveLength(0);
  });

  it("shows the ended state with a restart button instead of the message box", async () => {
    const { root } = await renderWith([{ type: "end", nodeId: "e", reason: "completed" }], "ended");
    expect(root.querySelector("#parley-input")).toBeNull();
    expect(root.querySelector(".ended button")?.textContent).toBe("Start a new conversation");
  });

  it("renders quick replies as buttons that answer with their value", async () => {
    const { root, server } = await renderWith(
      [
        {
          type: "quick_replies",
          nodeId: "q",
          text: "Anything else?",
          replies: [{ label: "No, thanks", value: "no" }],
        },
      ],
      "waiting",
      (_request, response) => json(response, 200, { messages: [], status: "waiting" }),
    );
    const group = root.querySelector("fieldset.choices");
    expect(group?.querySelector("legend")?.textContent).toBe("Suggested replies");
    group?.querySelector("button")?.click();
    await expect.poll(() => server.seen.filter((request) => request.method === "POST").length).toBe(1);
    expect(
      (server.seen.find((request) => request.method === "POST")?.body as { choice: string } | undefined)
        ?.choice,
    ).toBe("no");
  });

  it("marks an undeliverable message, offers Resend, and resends it under the same id", async () => {
    let attempts = 0;
    const { root, server } = await renderWith([text("Hi")], "waiting", (_request, response) => {
      attempts++;
      if (attempts === 1) return void response.socket?.destroy();
      json(response, 200, { messages: [text("Got it")], status: "waiting" });
    });
    const input = root.querySelector<HTMLInputElement>("#parley-input");
    if (!input) throw new Error("no input");
    input.value = "hello";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.querySelector<HTMLFormElement>("form.composer")?.requestSubmit();
    await expect.poll(() => root.querySelector(".failed-meta")?.textContent).toContain("Not delivered.");
    expect(root.querySelector('.banner[role="alert"]')?.textContent).toContain("offline");
    root.querySelector<HTMLButtonElement>(".failed-meta button")?.click();
    await expect.poll(() => root.textContent).toContain("Got it");
    const ids = server.seen
      .filter((request) => request.method === "POST")
      .map((request) => (request.body as { clientMessageId: string }).clientMessageId);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(root.querySelector(".failed-meta")).toBeNull();
    expect(root.querySelector(".banner")).toBeNull();
  });
});
