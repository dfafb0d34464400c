import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** The widget's host element selector (its shadow root holds the UI). */
export const widgetHost = "[data-parley-widget]";

/**
 * Evaluates `fn(host, arg)` in the page on the widget's host element. Playwright serializes `fn`,
 * so it may use only its arguments (reach the UI through `host.shadowRoot`).
 */
export function inWidget<T, A = undefined>(
  page: Page,
  fn: (host: Element, arg: A) => T,
  arg?: A,
): Promise<T> {
  return page.locator(widgetHost).evaluate(fn as (host: Element, arg: unknown) => T, arg);
}

/** Waits until `fn(host, arg)` is truthy. */
export async function waitInWidget<A = undefined>(
  page: Page,
  fn: (host: Element, arg: A) => unknown,
  arg?: A,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      last = await inWidget(page, fn, arg);
      if (last) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${fn.toString()} (last: ${String(last)})`);
}

/** Waits until the widget's text contains `text`. */
export const waitForText = (page: Page, text: string, timeoutMs?: number) =>
  waitInWidget(page, (host, wanted) => host.shadowRoot?.textContent?.includes(wanted), text, timeoutMs);

/** The widget's visible text. */
export const widgetText = (page: Page) => inWidget(page, (host) => host.shadowRoot?.textContent ?? "");

/** The id of the element focused inside the widget (or its tag and text). */
export const focusedInWidget = (page: Page) =>
  inWidget(page, (host) => {
    const active = host.shadowRoot?.activeElement as HTMLElement | null;
    return active ? active.id || `${active.tagName.toLowerCase()}:${active.textContent?.trim()}` : "";
  });

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core (WCAG 2 A/AA rules) on the page, shadow DOM included; returns serious and critical violations. */
export async function seriousAxeViolations(
  page: Page,
): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through DevTools, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: unknown,
            options: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.map((node) => JSON.stringify(node.target)),
      }));
  });
}
