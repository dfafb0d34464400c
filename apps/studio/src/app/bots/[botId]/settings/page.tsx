"use client";

import {
  Box,
  Card,
  Code,
  Flex,
  Grid,
  Heading,
  Link as RadixLink,
  Skeleton,
  Text,
  TextField,
} from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect } from "react";
import { useCan } from "../../../../client/session";
import { useTRPC } from "../../../../client/trpc";
import { AbandonmentSetting } from "../../../../components/analytics/abandonment-setting";
import { BotTabs } from "../../../../components/bot-tabs";
import { EmbedSection } from "../../../../components/embed-section";
import { FormProblems, issuesOf } from "../../../../components/field";
import { FormActions } from "../../../../components/form-actions";
import { FormError } from "../../../../components/form-error";
import { IdentityVerification } from "../../../../components/identity-verification";
import { Shell } from "../../../../components/shell";
import { ConfirmButton } from "../../../../components/ui/confirm-dialog";
import { SelectFormField, useContractForm } from "../../../../components/ui/form-controls";
import {
  applyServerErrorsAt,
  FormField,
  TextAreaFormField,
  TextFormField,
} from "../../../../components/ui/form-field";
import { Page } from "../../../../components/ui/page";
import { toast } from "../../../../components/ui/toast";
import { WidgetPreview } from "../../../../components/widget-preview";
import {
  botSettingsFieldOf,
  botSettingsForm,
  botSettingsValuesOf,
  DEFAULT_COLOR,
  previewThemeOf,
  storedTheme,
} from "./settings-form";

/** The form's values until the bot has loaded (the form is not shown before). */
const EMPTY_BOT = { name: "", description: "", allowedOrigins: [], widgetTheme: {} };

function BotSettings() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const canWrite = useCan("bots:write");
  const form = useContractForm(botSettingsForm, { defaultValues: botSettingsValuesOf(EMPTY_BOT) });
  // The form follows the bot as stored: on load, after a save, after "Add this site" below.
  useEffect(() => {
    if (bot.data) form.reset(botSettingsValuesOf(bot.data));
  }, [bot.data, form]);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.bots.get.queryKey({ botId }) });
  const update = useMutation(
    trpc.bots.update.mutationOptions({
      onSuccess: () => {
        toast.success("Settings saved.");
        return invalidate();
      },
      onError: (error) => applyServerErrorsAt(form, error, botSettingsFieldOf),
    }),
  );
  const rotate = useMutation(
    trpc.bots.rotatePublishableKey.mutationOptions({
      onSuccess: () => {
        toast.success("New publishable key: update the pages that embed the widget.");
        return invalidate();
      },
    }),
  );
  const theme = form.watch("widgetTheme");
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
              aria-label="Bot settings"
              noValidate
              onSubmit={form.handleSubmit(({ widgetTheme, ...changes }) =>
                update.mutate({ botId, changes: { ...changes, widgetTheme: storedTheme(widgetTheme) } }),
              )}
            >
              <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
                <TextFormField form={form} name="name" id="bot-name" label="Name" />
                <TextFormField form={form} name="description" id="bot-description" label="Description" />
                <TextAreaFormField
                  form={form}
                  name="allowedOrigins"
                  id="origins"
                  label="Allowed origins (one per line; the widget works only on these sites)"
                  placeholder="https://shop.example.com"
                />
                <Heading as="h2" size="4" mt="5">
                  Widget theme
                </Heading>
                <Grid columns="170px 1fr" gap="3">
                  <FormField form={form} name="widgetTheme.primaryColor" id="color" label="Color">
                    {({ value, onChange, ref, ...control }) => {
                      const color = typeof value === "string" ? value : "";
                      return (
                        <Flex gap="2" align="center">
                          <input
                            type="color"
                            aria-label="Pick the color"
                            // The picker needs a full #rrggbb; while the text is being typed it keeps the last one.
                            value={/^#[0-9a-f]{6}$/i.test(color) ? color : DEFAULT_COLOR}
                            onChange={(event) => onChange(event.target.value)}
                            disabled={control.disabled}
                            style={{ width: 40, height: 32, padding: 2, flexShrink: 0 }}
                          />
                          <TextField.Root
                            {...control}
                            ref={ref as never}
                            value={color}
                            onChange={(event) => onChange(event.target.value.trim() || undefined)}
                            spellCheck={false}
                          />
                        </Flex>
                      );
                    }}
                  </FormField>
                  <TextFormField
                    form={form}
                    name="widgetTheme.title"
                    id="title"
                    label="Title"
                    empty="absent"
                  />
                </Grid>
                <TextFormField
                  form={form}
                  name="widgetTheme.greeting"
                  id="greeting"
                  label="Greeting"
                  empty="absent"
                />
                <Grid columns="2" gap="3">
                  <SelectFormField
                    form={form}
                    name="widgetTheme.position"
                    id="position"
                    label="Position"
                    options={[
                      { value: "bottom-right", label: "Bottom right" },
                      { value: "bottom-left", label: "Bottom left" },
                    ]}
                  />
                  <SelectFormField
                    form={form}
                    name="widgetTheme.colorScheme"
                    id="scheme"
                    label="Colors"
                    options={[
                      { value: "light", label: "Light" },
                      { value: "dark", label: "Dark" },
                      { value: "auto", label: "Follow the visitor's system" },
                    ]}
                  />
                  <TextFormField
                    form={form}
                    name="widgetTheme.avatarUrl"
                    id="avatar"
                    label="Avatar image URL"
                    placeholder="https://example.com/avatar.png"
                    empty="absent"
                  />
                  <TextFormField
                    form={form}
                    name="widgetTheme.fontFamily"
                    id="font"
                    label="Font"
                    placeholder="system-ui, sans-serif"
                    empty="absent"
                  />
                </Grid>
                <FormProblems
                  error={update.error}
                  shown={Object.keys(issuesOf(update.error)).filter(
                    (path) => botSettingsFieldOf(path) !== undefined,
                  )}
                />
                <FormActions label="Save settings" pending={update.isPending} />
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
          <WidgetPreview theme={previewThemeOf(theme)} />
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
