"use client";

import { abandonmentTimeoutMinutesSchema, DEFAULT_ABANDONMENT_TIMEOUT_MINUTES } from "@parley/contract";
import { Heading } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf } from "../field";
import { FormActions } from "../form-actions";
import { NumberFormField, useContractForm } from "../ui/form-controls";
import { applyServerErrorsAt } from "../ui/form-field";
import { toast } from "../ui/toast";

/** The setting as the form holds it: the contract's rule for the bot setting of that name. */
const abandonmentForm = z.object({ abandonmentTimeoutMinutes: abandonmentTimeoutMinutesSchema });

/**
 * The field of a server problem: the setting's path in the update's input
 * (`changes.settings.abandonmentTimeoutMinutes`) or in core's (`settings.abandonmentTimeoutMinutes`).
 */
function fieldOfPath(path: string) {
  return path.replace(/^(changes\.)?settings\./, "") === "abandonmentTimeoutMinutes"
    ? ("abandonmentTimeoutMinutes" as const)
    : undefined;
}

/**
 * The bot setting `abandonmentTimeoutMinutes`: after how long without activity an open conversation
 * counts as dropped in analytics (default 30). A form of its own, beside the settings form (saving
 * it sends only this setting, merged into the others by the server).
 */
export function AbandonmentSetting({
  botId,
  settings,
  canWrite,
}: {
  botId: string;
  settings: Record<string, unknown>;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = settings.abandonmentTimeoutMinutes;
  const stored = typeof current === "number" ? current : DEFAULT_ABANDONMENT_TIMEOUT_MINUTES;
  const form = useContractForm(abandonmentForm, { defaultValues: { abandonmentTimeoutMinutes: stored } });
  useEffect(() => form.reset({ abandonmentTimeoutMinutes: stored }), [form, stored]);
  const save = useMutation(
    trpc.bots.update.mutationOptions({
      onSuccess: () => {
        toast.success("Abandonment timeout saved.");
        return queryClient.invalidateQueries({ queryKey: trpc.bots.get.queryKey({ botId }) });
      },
      onError: (error) => applyServerErrorsAt(form, error, fieldOfPath),
    }),
  );
  return (
    <section data-testid="abandonment-setting">
      <form
        aria-label="Analytics setting"
        noValidate
        onSubmit={form.handleSubmit((values) => save.mutate({ botId, changes: { settings: values } }))}
      >
        <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
          <Heading as="h2" size="4">
            Analytics
          </Heading>
          <NumberFormField
            form={form}
            name="abandonmentTimeoutMinutes"
            id="abandonment-timeout"
            label="Abandonment timeout (minutes)"
            help="An open conversation with no activity for this long counts as dropped at the node where it stopped (1 to 43200 minutes, 30 days)."
            inputMode="numeric"
            style={{ maxWidth: 160 }}
          />
          <FormProblems
            error={save.error}
            shown={Object.keys(issuesOf(save.error)).filter((path) => fieldOfPath(path) !== undefined)}
          />
          <FormActions label="Save timeout" pending={save.isPending} />
        </fieldset>
      </form>
    </section>
  );
}
