import { randomBytes } from "node:crypto";

/** What the demo page embeds. */
export interface DemoPageOptions {
  /** The bot the widget talks to. */
  readonly botId: string;
  /** The bot's publishable key (`pk_...`): safe to put in a page. */
  readonly publishableKey: string;
  /** Base URL of the runtime serving `/widget.js` and the API, e.g. `http://localhost:4000`. */
  readonly runtimeUrl: string;
  /** `bubble` (default), `inline` or `popup`. */
  readonly mode?: "bubble" | "inline" | "popup";
  /** Page title. */
  readonly title?: string;
}

/** Escapes text for an HTML attribute or text node. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The Content-Security-Policy a host page needs for the widget, as strict as it gets: scripts, API
 * calls and images only from the runtime, no inline script or style (the widget styles itself with
 * constructable stylesheets, which CSP does not restrict). `styleNonce` admits the page's own style.
 */
export function widgetHostContentSecurityPolicy(runtimeUrl: string, styleNonce?: string): string {
  const origin = new URL(runtimeUrl).origin;
  return [
    "default-src 'none'",
    `script-src ${origin}`,
    `connect-src ${origin}`,
    `img-src ${origin} data:`,
    styleNonce ? `style-src 'nonce-${styleNonce}'` : "style-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/**
 * An HTML page that embeds the widget with the one-tag snippet under a strict Content-Security-Policy
 * (sent as a `<meta http-equiv>`; callers may also send {@link widgetHostContentSecurityPolicy} as a header).
 */
export function renderDemoPage(options: DemoPageOptions): string {
  const runtimeUrl = options.runtimeUrl.replace(/\/+$/, "");
  const nonce = randomBytes(16).toString("base64");
  const csp = widgetHostContentSecurityPolicy(runtimeUrl, nonce);
  const mode = options.mode ?? "bubble";
  const title = escapeHtml(options.title ?? "Parley demo");
  const target = mode === "inline" ? ` data-target="#chat"` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<title>${title}</title>
<style nonce="${nonce}">
body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; color: #1f2933; line-height: 1.5; }
code { background: #f1f3f5; padding: 0.1rem 0.3rem; border-radius: 4px; }
pre { white-space: pre-wrap; word-break: break-all; }
#chat { height: 32rem; }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>This page embeds the Parley widget with one tag and a strict Content-Security-Policy
(no inline scripts or styles for the widget). ${mode === "bubble" ? "Open the chat bubble in the corner." : ""}</p>
<pre><code>&lt;script src="${escapeHtml(runtimeUrl)}/widget.js" data-bot-id="${escapeHtml(options.botId)}" data-key="${escapeHtml(options.publishableKey)}" async&gt;&lt;/script&gt;</code></pre>
${mode === "inline" ? '<div id="chat"></div>' : ""}
</main>
<script src="${escapeHtml(runtimeUrl)}/widget.js" data-bot-id="${escapeHtml(options.botId)}" data-key="${escapeHtml(options.publishableKey)}" data-mode="${mode}"${target} async></script>
</body>
</html>
`;
}
