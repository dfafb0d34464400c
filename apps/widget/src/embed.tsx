/**
 * The browser entry built into dist/widget.js. Reads the embedding `<script>` tag's data attributes,
 * mounts the widget in a shadow root, and exposes `window.Parley`.
 */
import { render } from "preact";
import { createConversationApi } from "./client/api";
import { readCachedConfig, writeCachedConfig } from "./client/config-cache";
import { createImagePolicy } from "./client/images";
import { ChatSession } from "./client/session";
import { localConversationStore } from "./client/storage";
import type { KnownWidgetConfig, WidgetTheme } from "./client/types";
import { createParleyApi, type ParleyApi } from "./parley-api";
import { App, type OpenControl, type WidgetMode } from "./ui/App";
import { widgetCss } from "./ui/styles";
import { defaultTheme, isDark } from "./ui/theme";

declare global {
  interface Window {
    Parley?: ParleyApi;
  }
}

/** Applies the stylesheet without inline `<style>` where possible, so host CSP needs no 'unsafe-inline'. */
function adoptStyles(root: ShadowRoot): void {
  if (
    "adoptedStyleSheets" in root &&
    typeof CSSStyleSheet !== "undefined" &&
    "replaceSync" in CSSStyleSheet.prototype
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(widgetCss);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  // Old browsers: a style element (a strict host CSP blocks it; the widget still works unstyled).
  const style = document.createElement("style");
  style.textContent = widgetCss;
  root.appendChild(style);
}

/** Reads the theme overrides a page may put on the tag (`data-title`, `data-color`, ...). */
function themeFromTag(data: DOMStringMap): WidgetTheme {
  const theme: WidgetTheme = {};
  if (data.title) theme.title = data.title;
  if (data.color) theme.primaryColor = data.color;
  if (data.greeting) theme.greeting = data.greeting;
  if (data.position === "bottom-left" || data.position === "bottom-right") theme.position = data.position;
  if (data.theme === "dark" || data.theme === "light" || data.theme === "auto")
    theme.colorScheme = data.theme;
  return theme;
}

async function boot(script: HTMLScriptElement): Promise<void> {
  const data = script.dataset;
  const botId = data.botId;
  const publishableKey = data.key;
  if (!botId || !publishableKey) {
    console.error("Parley widget: the script tag needs data-bot-id and data-key attributes.");
    return;
  }
  const runtimeUrl = data.runtimeUrl ?? new URL(script.src, location.href).origin;
  const mode: WidgetMode = data.mode === "inline" || data.mode === "popup" ? data.mode : "bubble";
  const api = createConversationApi({ runtimeUrl, botId, publishableKey });
  const session = new ChatSession({
    api,
    store: localConversationStore(botId),
    // Rendered into the page by the site's server for a signed-in user (see the README).
    ...(data.identityToken ? { identityToken: data.identityToken } : {}),
  });
  const control: OpenControl = {};
  const openKey = `parley:${botId}:open`;
  let wasOpen = false;
  try {
    wasOpen = sessionStorage.getItem(openKey) === "1";
  } catch {
    // No session storage: start closed.
  }
  window.Parley = createParleyApi(session, control);
  // Back online: resend what failed (same clientMessageIds, so nothing is processed twice).
  window.addEventListener("online", () => void session.retry());

  // The bot's theme, but never at the cost of a late bubble: a cached config paints at once (and is
  // refreshed behind it); otherwise wait for it at most 1.5 s, then use defaults.
  const cached = readCachedConfig(botId);
  const fresh = api.getConfig().then(
    (config) => {
      writeCachedConfig(botId, config);
      return config ?? {};
    },
    () => undefined,
  );
  const initial =
    cached ?? (await Promise.race([fresh, new Promise<undefined>((resolve) => setTimeout(resolve, 1500))]));
  let theme: WidgetTheme = {};
  let images = createImagePolicy(new URL(runtimeUrl).origin);
  const applyConfig = (config: KnownWidgetConfig | undefined) => {
    theme = { ...defaultTheme, ...config?.theme, ...themeFromTag(data) };
    images = createImagePolicy(new URL(runtimeUrl).origin, config?.imageOrigins);
  };
  applyConfig(initial);

  const target = mode === "inline" && data.target ? document.querySelector(data.target) : undefined;
  if (mode === "inline" && !target)
    console.error(`Parley widget: data-target "${data.target}" matches no element.`);
  const host = document.createElement("div");
  host.setAttribute("data-parley-widget", botId);
  (target ?? document.body).appendChild(host);
  const root = host.attachShadow({ mode: "open" });
  adoptStyles(root);
  const mount = document.createElement("div");
  root.appendChild(mount);

  const darkQuery = window.matchMedia?.("(prefers-color-scheme: dark)");
  const paint = () => {
    const dark = isDark(theme, darkQuery?.matches ?? false);
    render(
      <App
        context={{ session, theme, images }}
        mode={target ? "inline" : mode === "inline" ? "bubble" : mode}
        initiallyOpen={mode === "popup" || wasOpen}
        dark={dark}
        control={control}
        onOpenChange={(open) => {
          try {
            sessionStorage.setItem(openKey, open ? "1" : "0");
          } catch {
            // Not remembered across pages.
          }
        }}
      />,
      mount,
    );
  };
  paint();
  darkQuery?.addEventListener?.("change", paint);
  void fresh.then((latest) => {
    if (latest && JSON.stringify(latest) !== JSON.stringify(initial ?? {})) {
      applyConfig(latest);
      paint();
    }
  });
  window.dispatchEvent(new CustomEvent("parley:ready"));
}

const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>("script[data-bot-id][src*='widget']");
if (script) {
  if (document.body) void boot(script);
  else document.addEventListener("DOMContentLoaded", () => void boot(script), { once: true });
}
