"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { toast } from "../ui/toast";
import {
  ArchiveDialog,
  DeleteDialog,
  type ManageAction,
  type ManagedKind,
  RenameDialog,
} from "./manage-dialogs";

/** The bot or flow an action is about. */
export interface ManagedTarget {
  id: string;
  name: string;
}

/** What a manager needs from its kind's procedures (each resolves when done). */
interface Operations {
  rename: (target: ManagedTarget, name: string) => Promise<unknown>;
  duplicate: (target: ManagedTarget) => Promise<{ name: string }>;
  archive: (target: ManagedTarget) => Promise<unknown>;
  restore: (target: ManagedTarget) => Promise<unknown>;
  remove: (target: ManagedTarget, confirmName?: string) => Promise<unknown>;
  refresh: () => Promise<unknown>;
}

/**
 * Holds which action is open on which target and runs it: rename, archive and delete in dialogs,
 * duplicate and restore at once with a toast. Returns `start(action, target)` and the dialogs.
 */
function useManager(kind: ManagedKind, operations: Operations, onDeleted?: (target: ManagedTarget) => void) {
  const [open, setOpen] = useState<{ action: ManageAction; target: ManagedTarget } | null>(null);
  const run = useMutation({
    mutationFn: async ({
      action,
      target,
      value,
    }: {
      action: ManageAction;
      target: ManagedTarget;
      value?: string;
    }) => {
      switch (action) {
        case "rename":
          return operations.rename(target, value ?? target.name);
        case "duplicate":
          return operations.duplicate(target);
        case "archive":
          return operations.archive(target);
        case "restore":
          return operations.restore(target);
        case "delete":
          return operations.remove(target, value);
      }
    },
    onSuccess: async (result, { action, target }) => {
      setOpen(null);
      await operations.refresh();
      const label = kind === "bot" ? "Bot" : "Flow";
      if (action === "duplicate") toast.success(`Copied as “${(result as { name: string }).name}”`);
      if (action === "restore") toast.success(`${label} “${target.name}” restored`);
      if (action === "archive") toast.success(`${label} “${target.name}” archived`);
      if (action === "delete") {
        toast.success(`${label} “${target.name}” deleted`);
        onDeleted?.(target);
      }
    },
    onError: (error, { action }) => {
      if (action === "duplicate" || action === "restore") toast.error(error.message);
    },
  });
  const start = (action: ManageAction, target: ManagedTarget) => {
    run.reset();
    if (action === "duplicate" || action === "restore") run.mutate({ action, target });
    else setOpen({ action, target });
  };
  const close = () => setOpen(null);
  const target = open?.target ?? { id: "", name: "" };
  const busy = run.isPending;
  const dialogs = (
    <>
      <RenameDialog
        open={open?.action === "rename"}
        kind={kind}
        name={target.name}
        busy={busy}
        error={run.error}
        onClose={close}
        onRename={(name) => run.mutate({ action: "rename", target, value: name })}
      />
      <ArchiveDialog
        open={open?.action === "archive"}
        kind={kind}
        name={target.name}
        busy={busy}
        error={run.error}
        onClose={close}
        onArchive={() => run.mutate({ action: "archive", target })}
      />
      <DeleteDialog
        open={open?.action === "delete"}
        kind={kind}
        name={target.name}
        busy={busy}
        error={run.error}
        onClose={close}
        onDelete={(confirmName) =>
          run.mutate({ action: "delete", target, ...(confirmName ? { value: confirmName } : {}) })
        }
      />
    </>
  );
  return { start, dialogs };
}

/** Rename, duplicate, archive, restore and delete for bots (the bots list and the bot home). */
export function useBotManager(onDeleted?: (target: ManagedTarget) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.bots.update.mutationOptions());
  const duplicate = useMutation(trpc.bots.duplicate.mutationOptions());
  const archive = useMutation(trpc.bots.archive.mutationOptions());
  const restore = useMutation(trpc.bots.restore.mutationOptions());
  const remove = useMutation(trpc.bots.delete.mutationOptions());
  return useManager(
    "bot",
    {
      rename: (bot, name) => update.mutateAsync({ botId: bot.id, changes: { name } }),
      duplicate: (bot) => duplicate.mutateAsync({ botId: bot.id }),
      archive: (bot) => archive.mutateAsync({ botId: bot.id }),
      restore: (bot) => restore.mutateAsync({ botId: bot.id }),
      remove: (bot, confirmName) =>
        remove.mutateAsync({ botId: bot.id, ...(confirmName ? { confirmName } : {}) }),
      refresh: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.bots.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.bots.get.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.bots.summary.pathKey() }),
        ]),
    },
    onDeleted,
  );
}

/** Rename, duplicate, archive, restore and delete for a bot's flows. */
export function useFlowManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.flows.update.mutationOptions());
  const duplicate = useMutation(trpc.flows.duplicate.mutationOptions());
  const archive = useMutation(trpc.flows.archive.mutationOptions());
  const restore = useMutation(trpc.flows.restore.mutationOptions());
  const remove = useMutation(trpc.flows.delete.mutationOptions());
  return useManager("flow", {
    rename: (flow, name) => update.mutateAsync({ flowId: flow.id, name }),
    duplicate: (flow) => duplicate.mutateAsync({ flowId: flow.id }),
    archive: (flow) => archive.mutateAsync({ flowId: flow.id }),
    restore: (flow) => restore.mutateAsync({ flowId: flow.id }),
    remove: (flow, confirmName) =>
      remove.mutateAsync({ flowId: flow.id, ...(confirmName ? { confirmName } : {}) }),
    refresh: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.flows.list.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.bots.summary.pathKey() }),
      ]),
  });
}
