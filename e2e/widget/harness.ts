import { type Browser, chromium } from "playwright-core";
import { fakeBot, startFakeRuntime } from "./fake-runtime";

/** A runtime serving `/widget.js`, `/demo` and the conversation API for one demo bot. */
export interface WidgetTarget {
  /** `fake` (e2e/widget/fake-runtime.ts) or `real` (apps/runtime). */
  readonly kind: "fake" | "real";
  readonly url: string;
  readonly botId: string;
  readonly publishableKey: string;
  /** The page embedding the demo bot with the one-tag snippet. */
  readonly demoUrl: string;
  /** A message that makes the bot stream an LLM reply, when the demo bot has an LLM step. */
  readonly streamPrompt: string | undefined;
  close(): Promise<void>;
}

/**
 * The runtime the widget e2e tests drive. By default the FAKE runtime (a scripted copy of the pizza
 * demo that speaks the same contract). Set `PARLEY_E2E_RUNTIME_URL` (plus `PARLEY_E2E_BOT_ID`,
 * `PARLEY_E2E_KEY`, optionally `PARLEY_E2E_STREAM_PROMPT`) to run the same tests against a real
 * runtime started with its seeded demo bot, e.g. by `npm start`.
 */
export async function startWidgetTarget(): Promise<WidgetTarget> {
  const external = process.env.PARLEY_E2E_RUNTIME_URL;
  if (external) {
    const botId = process.env.PARLEY_E2E_BOT_ID;
    const publishableKey = process.env.PARLEY_E2E_KEY;
    if (!botId || !publishableKey)
      throw new Error(
        "PARLEY_E2E_RUNTIME_URL needs PARLEY_E2E_BOT_ID and PARLEY_E2E_KEY (the demo bot's pk_ key)",
      );
    const url = external.replace(/\/+$/, "");
    return {
      kind: "real",
      url,
      botId,
      publishableKey,
      demoUrl: `${url}/demo?botId=${encodeURIComponent(botId)}&key=${encodeURIComponent(publishableKey)}`,
      streamPrompt: process.env.PARLEY_E2E_STREAM_PROMPT,
      close: async () => undefined,
    };
  }
  const fake = await startFakeRuntime();
  return {
    kind: "fake",
    url: fake.url,
    ...fakeBot,
    demoUrl: `${fake.url}/demo`,
    streamPrompt: "/llm what do you recommend?",
    close: fake.close,
  };
}

/** Debian's Chromium through playwright-core (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
