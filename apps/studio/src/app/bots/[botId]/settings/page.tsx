"use client";

import { widgetThemeSchema } from "@parley/contract/widget";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useCan } from "../../../../client/session";
import { useTRPC } from "../../../../client/trpc";
import { AbandonmentSetting } from "../../../../components/analytics/abandonment-setting";
import { BotTabs } from "../../../../components/bot-tabs";
import { EmbedSection } from "../../../../components/embed-section";
import { FormProblems, invalidProps, issuesOf } from "../../../../components/field";
import { FormError } from "../../../../components/form-error";
import { IdentityVerification } from "../../../../components/identity-verification";
import { Shell } from "../../../../components/shell";
import { type ThemeForm, WidgetPreview } from "../../../../components/widget-preview";

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

function themeOf(raw: Record<string, unknown> | undefined): ThemeForm {
  return {
    primaryColor: typeof raw?.primaryColor === "string" ? raw.primaryColor : "#2251cc",
    title: typeof raw?.title === "string" ? raw.title : "Chat with us",
    greeting: typeof raw?.greeting === "string" ? raw.greeting : "",
    position: raw?.position === "bottom-left" ? "bottom-left" : "bottom-right",
    colorScheme: raw?.colorScheme === "dark" || raw?.colorScheme === "auto" ? raw.colorScheme : "light",
    avatarUrl: typeof raw?.avatarUrl === "string" ? raw.avatarUrl : "",
    fontFamily: typeof raw?.fontFamily === "string" ? raw.fontFamily : "",
  };
}

/** The theme as stored: optional fields left empty are omitted, so the widget uses its defaults. */
function storedTheme(theme: ThemeForm): Record<string, string> {
  return Object.fromEntries(Object.entries(theme).filter(([, value]) => value !== ""));
}

/** Inline problems of the free-text theme fields, checked with the widget's own schema. */
function themeFieldError(
  field: "avatarUrl" | "fontFamily" | "primaryColor",
  value: string,
): string | undefined {
  if (value === "") return undefined;
  return widgetThemeSchema.shape[field].safeParse(value).error?.issues[0]?.message;
}

/** A field's problem under it, linked to the field for screen readers (see `invalidProps`). */
function InlineError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="field-error" id={`${id}-error`} role="alert">
      {message}
    </div>
  );
}

function BotSettings() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const canWrite = useCan("bots:write");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [origins, setOrigins] = useState("");
  const [theme, setTheme] = useState<ThemeForm>(themeOf(undefined));
  useEffect(() => {
    if (!bot.data) return;
    setName(bot.data.name);
    setDescription(bot.data.description);
    setOrigins(bot.data.allowedOrigins.join("\n"));
    setTheme(themeOf(bot.data.widgetTheme));
  }, [bot.data]);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.bots.get.queryKey({ botId }) });
  const update = useMutation(trpc.bots.update.mutationOptions({ onSuccess: invalidate }));
  const rotate = useMutation(trpc.bots.rotatePublishableKey.mutationOptions({ onSuccess: invalidate }));
  // One per line (commas tolerated); a line with spaces in it is reported whole, not word by word.
  const originList = origins
    .split(/[\n,]+/)
    .map((o) => o.trim())
    .filter(Boolean);
  const badOrigins = originList.filter((o) => !ORIGIN.test(o));
  // The server's field problems, by the path of the setting (`name`, `allowedOrigins.1`, `widgetTheme.title`).
  const serverErrors = Object.fromEntries(
    Object.entries(issuesOf(update.error)).map(([path, message]) => [
      path.replace(/^changes\./, ""),
      message,
    ]),
  );
  const serverError = (prefix: string) =>
    Object.entries(serverErrors).find(([path]) => path === prefix || path.startsWith(`${prefix}.`))?.[1];
  const avatarError = themeFieldError("avatarUrl", theme.avatarUrl) ?? serverError("widgetTheme.avatarUrl");
  const fontError = themeFieldError("fontFamily", theme.fontFamily) ?? serverError("widgetTheme.fontFamily");
  const colorError =
    themeFieldError("primaryColor", theme.primaryColor) ?? serverError("widgetTheme.primaryColor");
  const nameError = serverError("name");
  const descriptionError = serverError("description");
  const titleError = serverError("widgetTheme.title");
  const greetingError = serverError("widgetTheme.greeting");
  const originsError =
    badOrigins.length > 0
      ? `Not an origin (scheme://host[:port], no path): ${badOrigins.join(", ")}`
      : serverError("allowedOrigins");
  if (!bot.data)
    return (
      <main className="shell-main">
        <FormError error={bot.error} />
      </main>
    );
  return (
    <main className="shell-main">
      <p>
        <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
      </p>
      <h1>Bot settings</h1>
      <BotTabs botId={botId} active="settings" />
      <div style={{ display: "grid", gridTemplateColumns: "1fr 320px", gap: 24 }}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate({
              botId,
              changes: { name, description, allowedOrigins: originList, widgetTheme: storedTheme(theme) },
            });
          }}
        >
          <fieldset disabled={!canWrite} style={{ border: 0, padding: 0 }}>
            <label htmlFor="bot-name">Name</label>
            <input
              id="bot-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              {...invalidProps("bot-name", nameError)}
            />
            <InlineError id="bot-name" message={nameError} />
            <label htmlFor="bot-description">Description</label>
            <input
              id="bot-description"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              {...invalidProps("bot-description", descriptionError)}
            />
            <InlineError id="bot-description" message={descriptionError} />
            <label htmlFor="origins">
              Allowed origins (one per line; the widget works only on these sites)
            </label>
            <textarea
              id="origins"
              value={origins}
              onChange={(e) => setOrigins(e.target.value)}
              placeholder="https://shop.example.com"
              {...invalidProps("origins", originsError)}
            />
            <InlineError id="origins" message={originsError} />
            <h2>Widget theme</h2>
            <div className="row" style={{ alignItems: "flex-start" }}>
              <div style={{ width: 170 }}>
                <label htmlFor="color">Color</label>
                <div className="row" style={{ gap: 6 }}>
                  <input
                    type="color"
                    aria-label="Pick the color"
                    // The picker needs a full #rrggbb; while the text is being typed it keeps the last one.
                    value={/^#[0-9a-f]{6}$/i.test(theme.primaryColor) ? theme.primaryColor : "#2251cc"}
                    onChange={(e) => setTheme({ ...theme, primaryColor: e.target.value })}
                    style={{ width: 40, height: 34, padding: 2, flexShrink: 0 }}
                  />
                  <input
                    id="color"
                    value={theme.primaryColor}
                    onChange={(e) => setTheme({ ...theme, primaryColor: e.target.value.trim() })}
                    spellCheck={false}
                    {...invalidProps("color", colorError)}
                  />
                </div>
                <InlineError id="color" message={colorError} />
              </div>
              <div style={{ flex: 1 }}>
                <label htmlFor="title">Title</label>
                <input
                  id="title"
                  value={theme.title}
                  onChange={(e) => setTheme({ ...theme, title: e.target.value })}
                  {...invalidProps("title", titleError)}
                />
                <InlineError id="title" message={titleError} />
              </div>
            </div>
            <label htmlFor="greeting">Greeting</label>
            <input
              id="greeting"
              value={theme.greeting}
              onChange={(e) => setTheme({ ...theme, greeting: e.target.value })}
              {...invalidProps("greeting", greetingError)}
            />
            <InlineError id="greeting" message={greetingError} />
            <div className="row">
              <div style={{ flex: 1 }}>
                <label htmlFor="position">Position</label>
                <select
                  id="position"
                  value={theme.position}
                  onChange={(e) => setTheme({ ...theme, position: e.target.value as ThemeForm["position"] })}
                >
                  <option value="bottom-right">Bottom right</option>
                  <option value="bottom-left">Bottom left</option>
                </select>
              </div>
              <div style={{ flex: 1 }}>
                <label htmlFor="scheme">Colors</label>
                <select
                  id="scheme"
                  value={theme.colorScheme}
                  onChange={(e) =>
                    setTheme({ ...theme, colorScheme: e.target.value as ThemeForm["colorScheme"] })
                  }
                >
                  <option value="light">Light</option>
                  <option value="dark">Dark</option>
                  <option value="auto">Follow the visitor's system</option>
                </select>
              </div>
            </div>
            <div className="row">
              <div style={{ flex: 1 }}>
                <label htmlFor="avatar">Avatar image URL</label>
                <input
                  id="avatar"
                  placeholder="https://example.com/avatar.png"
                  value={theme.avatarUrl}
                  onChange={(e) => setTheme({ ...theme, avatarUrl: e.target.value })}
                  {...invalidProps("avatar", avatarError)}
                />
                <InlineError id="avatar" message={avatarError} />
              </div>
              <div style={{ flex: 1 }}>
                <label htmlFor="font">Font</label>
                <input
                  id="font"
                  placeholder="system-ui, sans-serif"
                  value={theme.fontFamily}
                  onChange={(e) => setTheme({ ...theme, fontFamily: e.target.value })}
                  {...invalidProps("font", fontError)}
                />
                <InlineError id="font" message={fontError} />
              </div>
            </div>
            <FormProblems
              error={update.error}
              shown={Object.keys(serverErrors).filter((path) =>
                ["name", "description", "allowedOrigins", "widgetTheme"].some(
                  (field) => path === field || path.startsWith(`${field}.`),
                ),
              )}
            />
            <p className="row">
              <button
                className="primary"
                type="submit"
                disabled={
                  update.isPending ||
                  badOrigins.length > 0 ||
                  themeFieldError("avatarUrl", theme.avatarUrl) !== undefined ||
                  themeFieldError("fontFamily", theme.fontFamily) !== undefined ||
                  themeFieldError("primaryColor", theme.primaryColor) !== undefined
                }
              >
                Save settings
              </button>
              {update.isSuccess && <span className="muted">Saved.</span>}
            </p>
          </fieldset>
          <EmbedSection bot={bot.data} snippet={bot.data.embedSnippet} canWrite={canWrite} />
          <h3>Publishable key (public: it only works on the allowed origins)</h3>
          <div className="row">
            <code data-testid="publishable-key">{bot.data.publishableKey}</code>
            {canWrite && (
              <button
                type="button"
                className="small"
                onClick={() =>
                  window.confirm("Replace the key? Pages using the old key stop working.") &&
                  rotate.mutate({ botId })
                }
              >
                Rotate
              </button>
            )}
          </div>
          <FormError error={rotate.error} />
          <IdentityVerification botId={botId} canWrite={canWrite} />
          <AbandonmentSetting botId={botId} settings={bot.data.settings} canWrite={canWrite} />
          <p>
            <Link href={`/bots/${botId}/triggers`}>Triggers: start conversations from your systems →</Link>
          </p>
        </form>
        <div>
          <h3>Live preview</h3>
          <WidgetPreview theme={theme} />
        </div>
      </div>
    </main>
  );
}

/**
 * A bot's settings: name, allowed origins, widget theme with a live preview, key, embed snippet
 * and identity verification.
 */
export default function BotSettingsPage() {
  return (
    <Shell>
      <BotSettings />
    </Shell>
  );
}
