/** Escapes a value for a double-quoted HTML attribute. */
function attribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** The `<script>` tag that embeds a bot's widget on a page. */
export function embedSnippet(runtimeUrl: string, botId: string, publishableKey: string): string {
  const src = new URL("/widget.js", runtimeUrl).toString();
  return `<script src="${attribute(src)}" data-bot-id="${attribute(botId)}" data-key="${attribute(publishableKey)}" async></script>`;
}
