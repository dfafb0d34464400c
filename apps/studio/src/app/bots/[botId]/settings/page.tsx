"use client";

import { widgetThemeSchema } from "@parley/contract/widget";
import {
  Box,
  Button,
  Card,
  Code,
  Flex,
  Grid,
  Heading,
  Link as RadixLink,
  Select,
  Skeleton,
  Text,
  TextArea,
  TextField,
} from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { useCan } from "../../../../client/session";
import { useTRPC } from "../../../../client/trpc";
import { AbandonmentSetting } from "../../../../components/analytics/abandonment-setting";
import { BotTabs } from "../../../../components/bot-tabs";
import { EmbedSection } from "../../../../components/embed-section";
import { FieldProblem, FormProblems, invalidProps, issuesOf } from "../../../../components/field";
import { FormError } from "../../../../components/form-error";
import { IdentityVerification } from "../../../../components/identity-verification";
import { Shell } from "../../../../components/shell";
import { ConfirmButton } from "../../../../components/ui/confirm-dialog";
import { Page } from "../../../../components/ui/page";
import { toast } from "../../../../components/ui/toast";
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

/** A labelled setting with its problem underneath (linked to the field by `invalidProps`). */
function Labelled({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <Flex direction="column" gap="1" mt="3">
      <Text as="label" htmlFor={id} size="2" weight="medium">
        {label}
      </Text>
      {children}
      <FieldProblem id={`${id}-error`} message={error} />
    </Flex>
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
  const rotate = useMutation(
    trpc.bots.rotatePublishableKey.mutationOptions({
      onSuccess: () => {
        toast.success("New publishable key: update the pages that embed the widget.");
        return invalidate();
      },
    }),
  );
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
      <Page title="Bot settings">
        <FormError error={bot.error} />
        {!bot.error && <Skeleton height="320px" />}
      </Page>
    );
  return (
    <Page
      title="Bot settings"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="settings" />
      <Grid columns={{ initial: "1", md: "1fr 320px" }} gap="5">
        <Flex direction="column" gap="4">
          <Card size="3" asChild>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                update.mutate({
                  botId,
                  changes: { name, description, allowedOrigins: originList, widgetTheme: storedTheme(theme) },
                });
              }}
            >
              <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
                <Labelled id="bot-name" label="Name" error={nameError}>
                  <TextField.Root
                    id="bot-name"
                    value={name}
                    onChange={(e) => setName(e.target.value)}
                    required
                    {...invalidProps("bot-name", nameError)}
                  />
                </Labelled>
                <Labelled id="bot-description" label="Description" error={descriptionError}>
                  <TextField.Root
                    id="bot-description"
                    value={description}
                    onChange={(e) => setDescription(e.target.value)}
                    {...invalidProps("bot-description", descriptionError)}
                  />
                </Labelled>
                <Labelled
                  id="origins"
                  label="Allowed origins (one per line; the widget works only on these sites)"
                  error={originsError}
                >
                  <TextArea
                    id="origins"
                    value={origins}
                    onChange={(e) => setOrigins(e.target.value)}
                    placeholder="https://shop.example.com"
                    {...invalidProps("origins", originsError)}
                  />
                </Labelled>
                <Heading as="h2" size="4" mt="5">
                  Widget theme
                </Heading>
                <Grid columns="170px 1fr" gap="3">
                  <Labelled id="color" label="Color" error={colorError}>
                    <Flex gap="2" align="center">
                      <input
                        type="color"
                        aria-label="Pick the color"
                        // The picker needs a full #rrggbb; while the text is being typed it keeps the last one.
                        value={/^#[0-9a-f]{6}$/i.test(theme.primaryColor) ? theme.primaryColor : "#2251cc"}
                        onChange={(e) => setTheme({ ...theme, primaryColor: e.target.value })}
                        style={{ width: 40, height: 32, padding: 2, flexShrink: 0 }}
                      />
                      <TextField.Root
                        id="color"
                        value={theme.primaryColor}
                        onChange={(e) => setTheme({ ...theme, primaryColor: e.target.value.trim() })}
                        spellCheck={false}
                        {...invalidProps("color", colorError)}
                      />
                    </Flex>
                  </Labelled>
                  <Labelled id="title" label="Title" error={titleError}>
                    <TextField.Root
                      id="title"
                      value={theme.title}
                      onChange={(e) => setTheme({ ...theme, title: e.target.value })}
                      {...invalidProps("title", titleError)}
                    />
                  </Labelled>
                </Grid>
                <Labelled id="greeting" label="Greeting" error={greetingError}>
                  <TextField.Root
                    id="greeting"
                    value={theme.greeting}
                    onChange={(e) => setTheme({ ...theme, greeting: e.target.value })}
                    {...invalidProps("greeting", greetingError)}
                  />
                </Labelled>
                <Grid columns="2" gap="3">
                  <Labelled id="position" label="Position">
                    <Select.Root
                      value={theme.position}
                      onValueChange={(value) =>
                        setTheme({ ...theme, position: value as ThemeForm["position"] })
                      }
                    >
                      <Select.Trigger id="position" />
                      <Select.Content position="popper">
                        <Select.Item value="bottom-right">Bottom right</Select.Item>
                        <Select.Item value="bottom-left">Bottom left</Select.Item>
                      </Select.Content>
                    </Select.Root>
                  </Labelled>
                  <Labelled id="scheme" label="Colors">
                    <Select.Root
                      value={theme.colorScheme}
                      onValueChange={(value) =>
                        setTheme({ ...theme, colorScheme: value as ThemeForm["colorScheme"] })
                      }
                    >
                      <Select.Trigger id="scheme" />
                      <Select.Content position="popper">
                        <Select.Item value="light">Light</Select.Item>
                        <Select.Item value="dark">Dark</Select.Item>
                        <Select.Item value="auto">Follow the visitor's system</Select.Item>
                      </Select.Content>
                    </Select.Root>
                  </Labelled>
                  <Labelled id="avatar" label="Avatar image URL" error={avatarError}>
                    <TextField.Root
                      id="avatar"
                      placeholder="https://example.com/avatar.png"
                      value={theme.avatarUrl}
                      onChange={(e) => setTheme({ ...theme, avatarUrl: e.target.value })}
                      {...invalidProps("avatar", avatarError)}
                    />
                  </Labelled>
                  <Labelled id="font" label="Font" error={fontError}>
                    <TextField.Root
                      id="font"
                      placeholder="system-ui, sans-serif"
                      value={theme.fontFamily}
                      onChange={(e) => setTheme({ ...theme, fontFamily: e.target.value })}
                      {...invalidProps("font", fontError)}
                    />
                  </Labelled>
                </Grid>
                <FormProblems
                  error={update.error}
                  shown={Object.keys(serverErrors).filter((path) =>
                    ["name", "description", "allowedOrigins", "widgetTheme"].some(
                      (field) => path === field || path.startsWith(`${field}.`),
                    ),
                  )}
                />
                <Flex mt="4" gap="3" align="center">
                  <Button
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
                  </Button>
                  {update.isSuccess && (
                    <Text size="2" color="gray" role="status">
                      Saved.
                    </Text>
                  )}
                </Flex>
              </fieldset>
            </form>
          </Card>
          <Card size="3">
            <EmbedSection bot={bot.data} snippet={bot.data.embedSnippet} canWrite={canWrite} />
            <Heading as="h3" size="3" mt="4" mb="2">
              Publishable key (public: it only works on the allowed origins)
            </Heading>
            <Flex gap="2" align="center">
              <Code data-testid="publishable-key">{bot.data.publishableKey}</Code>
              {canWrite && (
                <ConfirmButton
                  danger={false}
                  title="Replace the publishable key?"
                  description="Pages using the old key stop working until they use the new one."
                  confirmLabel="Rotate key"
                  onConfirm={() => rotate.mutateAsync({ botId })}
                >
                  Rotate
                </ConfirmButton>
              )}
            </Flex>
            <FormError error={rotate.error} />
          </Card>
          <Card size="3">
            <IdentityVerification botId={botId} canWrite={canWrite} />
          </Card>
          <Card size="3">
            <AbandonmentSetting botId={botId} settings={bot.data.settings} canWrite={canWrite} />
          </Card>
          <Text as="p" size="2">
            <RadixLink asChild>
              <Link href={`/bots/${botId}/triggers`}>Triggers: start conversations from your systems →</Link>
            </RadixLink>
          </Text>
        </Flex>
        <Box>
          <Heading as="h3" size="3" mb="2">
            Live preview
          </Heading>
          <WidgetPreview theme={theme} />
        </Box>
      </Grid>
    </Page>
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
