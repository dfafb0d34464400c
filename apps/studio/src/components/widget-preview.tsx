"use client";

import type { WidgetTheme } from "@parley/contract";

/**
 * The widget theme fields the studio edits, as form state: contract's theme fields, every one set
 * (an empty `avatarUrl` means no avatar, an empty `fontFamily` the widget's default font).
 */
export type ThemeForm = Required<
  Pick<
    WidgetTheme,
    "primaryColor" | "title" | "greeting" | "position" | "colorScheme" | "avatarUrl" | "fontFamily"
  >
>;

/** A live preview of the chat widget with a theme: bubble, header, greeting and a sample exchange. */
export function WidgetPreview({ theme }: { theme: ThemeForm }) {
  const dark = theme.colorScheme === "dark";
  const surface = dark ? "#1e1f24" : "#ffffff";
  const text = dark ? "#f1f3f5" : "#1d1f24";
  const botBubble = dark ? "#2c2e35" : "#f1f3f5";
  return (
    <div
      data-testid="widget-preview"
      style={{
        position: "relative",
        height: 420,
        background: "repeating-linear-gradient(45deg,#f8f9fa,#f8f9fa 10px,#f1f3f5 10px,#f1f3f5 20px)",
        borderRadius: 8,
        border: "1px solid var(--line)",
      }}
    >
      <div
        style={{
          position: "absolute",
          bottom: 80,
          [theme.position === "bottom-left" ? "left" : "right"]: 16,
          width: 260,
          background: surface,
          color: text,
          borderRadius: 12,
          boxShadow: "0 6px 24px rgba(0,0,0,0.18)",
          overflow: "hidden",
          fontFamily: theme.fontFamily || undefined,
        }}
      >
        <div
          style={{
            background: theme.primaryColor,
            color: "white",
            padding: "10px 12px",
            fontWeight: 600,
            display: "flex",
            alignItems: "center",
            gap: 8,
          }}
        >
          {/^https?:\/\//.test(theme.avatarUrl) && (
            // biome-ignore lint/performance/noImgElement: any host an editor types; next/image needs each host configured
            <img src={theme.avatarUrl} alt="" width={24} height={24} style={{ borderRadius: "50%" }} />
          )}
          {theme.title || "Chat with us"}
        </div>
        <div style={{ padding: 12, display: "flex", flexDirection: "column", gap: 8, fontSize: 13 }}>
          {theme.greeting && (
            <div
              style={{
                background: botBubble,
                padding: "6px 10px",
                borderRadius: 10,
                alignSelf: "flex-start",
              }}
            >
              {theme.greeting}
            </div>
          )}
          <div
            style={{ background: botBubble, padding: "6px 10px", borderRadius: 10, alignSelf: "flex-start" }}
          >
            How can I help?
          </div>
          <div
            style={{
              background: theme.primaryColor,
              color: "white",
              padding: "6px 10px",
              borderRadius: 10,
              alignSelf: "flex-end",
            }}
          >
            I'd like a pizza
          </div>
        </div>
        <div
          style={{
            borderTop: `1px solid ${dark ? "#333" : "#eee"}`,
            padding: 8,
            fontSize: 12,
            color: dark ? "#b4b4b4" : "#595959",
          }}
        >
          Type a message…
        </div>
      </div>
      <div
        style={{
          position: "absolute",
          bottom: 16,
          [theme.position === "bottom-left" ? "left" : "right"]: 16,
          width: 48,
          height: 48,
          borderRadius: 24,
          background: theme.primaryColor,
          boxShadow: "0 4px 12px rgba(0,0,0,0.2)",
        }}
      />
    </div>
  );
}
