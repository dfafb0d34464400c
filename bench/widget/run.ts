/**
 * Widget benchmark (`npx tsx bench/widget/run.ts`), printing one JSON object:
 * - `gzipBytes`: dist/widget.js gzipped (level 9), as served compressed.
 * - `loadToBubbleMs`: median over fresh browser contexts (cold cache) of the time from inserting
 *   the `<script>` tag to the launcher being laid out and painted (next animation frame). Also the
 *   part after the script finished downloading (`scriptLoadedToBubbleMs`, Resource Timing), and
 *   `warmLoadToBubbleMs`: the next page view of the same visitor (bot config cached, no wait for it).
 * - `sendToFirstTokenMs`: median time from `Parley.send()` to the first streamed token painted,
 *   minus the runtime's own overhead, measured as the same POST done with bare `fetch` until the
 *   first body chunk arrives (`rawFirstChunkMs`) against a local server that writes the first token
 *   immediately. The difference is what the widget adds (state, parsing, rendering).
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { buildWidget } from "@parley/widget/server";
import { chromium, type Page } from "playwright-core";
import { startStreamServer } from "./stream-server";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const round = (value: number) => Math.round(value * 10) / 10;

const scriptPath = await buildWidget();
const bytes = readFileSync(scriptPath);
const server = await startStreamServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

/** tsx compiles with keepNames: functions sent to the page reference esbuild's `__name` helper. */
const nameHelper = "window.__name = (fn) => fn;";

const loadRuns = Number(process.env.RUNS ?? 9);
const loadToBubble: number[] = [];
const loadedToBubble: number[] = [];
const configStarts: number[] = [];
const configTimes: number[] = [];
const warmLoadToBubble: number[] = [];

/** Inserts the widget's script tag and resolves when the launcher is painted. */
function measureLoad(page: Page) {
  return page.evaluate(
    (src) =>
      new Promise<{ total: number; afterLoad: number; configStart: number; configMs: number }>((resolve) => {
        const start = performance.now();
        const script = document.createElement("script");
        script.src = src;
        script.dataset.botId = "bench";
        script.dataset.key = "pk_bench";
        const check = () => {
          const launcher = document
            .querySelector("[data-parley-widget]")
            ?.shadowRoot?.querySelector(".launcher");
          if (launcher && launcher.getBoundingClientRect().width > 0) {
            requestAnimationFrame(() => {
              const end = performance.now();
              const entry = performance.getEntriesByName(src)[0] as PerformanceResourceTiming | undefined;
              const config = performance
                .getEntriesByType("resource")
                .find((resource) => resource.name.endsWith("/config")) as
                | PerformanceResourceTiming
                | undefined;
              resolve({
                total: end - start,
                afterLoad: end - (entry?.responseEnd ?? start),
                configStart: (config?.startTime ?? 0) - (entry?.responseEnd ?? 0),
                configMs: config ? config.responseEnd - config.startTime : 0,
              });
            });
            return;
          }
          requestAnimationFrame(check);
        };
        document.body.appendChild(script);
        check();
      }),
    `${server.url}/widget.js`,
  );
}
try {
  for (let run = 0; run < loadRuns; run++) {
    const context = await browser.newContext();
    await context.addInitScript(nameHelper);
    const page = await context.newPage();
    await page.goto(`${server.url}/page`);
    const timing = await measureLoad(page);
    loadToBubble.push(timing.total);
    // Same visitor, next page: the bot's config is cached, so the bubble does not wait for it.
    await page.goto(`${server.url}/page`);
    warmLoadToBubble.push((await measureLoad(page)).total);
    loadedToBubble.push(timing.afterLoad);
    configStarts.push(timing.configStart);
    configTimes.push(timing.configMs);
    await context.close();
  }

  const sendContext = await browser.newContext();
  await sendContext.addInitScript(nameHelper);
  const page = await sendContext.newPage();
  await page.goto(`${server.url}/page`);
  await page.evaluate((src) => {
    const script = document.createElement("script");
    script.src = src;
    script.dataset.botId = "bench";
    script.dataset.key = "pk_bench";
    script.dataset.mode = "popup";
    document.body.appendChild(script);
  }, `${server.url}/widget.js`);
  await page.waitForFunction(() =>
    document.querySelector("[data-parley-widget]")?.shadowRoot?.textContent?.includes("Ask me anything."),
  );
  const sendRuns = Number(process.env.SEND_RUNS ?? 15);
  const widgetFirstToken: number[] = [];
  const rawFirstChunk: number[] = [];
  for (let run = 0; run < sendRuns; run++) {
    rawFirstChunk.push(
      await page.evaluate(async (url) => {
        const start = performance.now();
        const response = await fetch(url, {
          method: "POST",
          headers: {
            authorization: "Bearer pk_bench",
            "content-type": "application/json",
            accept: "text/event-stream",
          },
          body: JSON.stringify({ text: "raw", clientMessageId: `raw-${Math.random()}` }),
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        const end = performance.now();
        await reader.cancel();
        return end - start;
      }, `${server.url}/api/v1/conversations/bench/messages`),
    );
    widgetFirstToken.push(
      await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const root = document.querySelector("[data-parley-widget]")?.shadowRoot as ShadowRoot;
            const before = root.querySelectorAll(".streaming").length;
            const observer = new MutationObserver(() => {
              if (root.querySelectorAll(".streaming").length > before) {
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - start));
              }
            });
            observer.observe(root, { subtree: true, childList: true, characterData: true });
            const start = performance.now();
            void (window as unknown as { Parley: { send: (text: string) => Promise<void> } }).Parley.send(
              "hello",
            );
          }),
      ),
    );
    await page.waitForFunction(
      () => !document.querySelector("[data-parley-widget]")?.shadowRoot?.querySelector(".streaming"),
    );
  }

  const widgetMedian = median(widgetFirstToken);
  const rawMedian = median(rawFirstChunk);
  console.log(
    JSON.stringify(
      {
        bench: "widget",
        widgetJs: {
          bytes: bytes.length,
          gzipBytes: gzipSync(bytes, { level: 9 }).length,
          targetGzipBytes: 30 * 1024,
        },
        loadToBubbleMs: {
          median: round(median(loadToBubble)),
          runs: loadRuns,
          min: round(Math.min(...loadToBubble)),
          max: round(Math.max(...loadToBubble)),
        },
        warmLoadToBubbleMs: {
          median: round(median(warmLoadToBubble)),
          note: "repeat page view, bot config cached",
        },
        scriptLoadedToBubbleMs: {
          median: round(median(loadedToBubble)),
          scriptLoadedToConfigRequestMedian: round(median(configStarts)),
          configRequestMedian: round(median(configTimes)),
        },
        sendToFirstTokenMs: {
          widgetMedian: round(widgetMedian),
          rawFirstChunkMedian: round(rawMedian),
          overheadOverRuntimeMedian: round(widgetMedian - rawMedian),
          runs: sendRuns,
        },
        method:
          "Chromium (Debian), local server on 127.0.0.1 answering instantly; load: script tag inserted -> launcher painted (next rAF), fresh context per run (cold cache, config fetched: 404 -> defaults) and a repeat view in the same context (config cached in localStorage); first token: Parley.send() -> first .streaming bubble painted, minus bare fetch() to first SSE chunk of the same endpoint.",
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await server.close();
}
