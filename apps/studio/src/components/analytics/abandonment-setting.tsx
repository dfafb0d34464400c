"use client";

import { DEFAULT_ABANDONMENT_TIMEOUT_MINUTES } from "@parley/contract";
import { Button } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { InputField, issuesOf } from "../field";

/**
 * The bot setting `abandonmentTimeoutMinutes`: after how long without activity an open conversation
 * counts as dropped in analytics (default 30). Saved on its own (it sits inside the settings form, so
 * it is not a form itself).
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
  const [value, setValue] = useState(String(current ?? DEFAULT_ABANDONMENT_TIMEOUT_MINUTES));
  useEffect(() => setValue(String(current ?? DEFAULT_ABANDONMENT_TIMEOUT_MINUTES)), [current]);
  const save = useMutation(
    trpc.bots.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.bots.get.queryKey({ botId }) }),
    }),
  );
  const minutes = Number(value);
  const localError =
    value.trim() === "" || !Number.isInteger(minutes) || minutes < 1 || minutes > 43_200
      ? "Enter whole minutes from 1 to 43200 (30 days)"
      : undefined;
  const error = localError ?? issuesOf(save.error)["changes.settings.abandonmentTimeoutMinutes"];
  return (
    <section data-testid="abandonment-setting">
      <h2>Analytics</h2>
      <InputField
        id="abandonment-timeout"
        label="Abandonment timeout (minutes)"
        hint="An open conversation with no activity for this long counts as dropped at the node where it stopped."
        error={error}
        type="number"
        min={1}
        value={value}
        disabled={!canWrite}
        onChange={(event) => setValue(event.target.value)}
      />
      <p className="row">
        <Button
          variant="soft"
          color="gray"
          type="button"
          disabled={!canWrite || save.isPending || localError !== undefined}
          onClick={() =>
            save.mutate({ botId, changes: { settings: { abandonmentTimeoutMinutes: minutes } } })
          }
        >
          Save timeout
        </Button>
        {save.isSuccess && <span className="muted">Saved.</span>}
      </p>
    </section>
  );
}
