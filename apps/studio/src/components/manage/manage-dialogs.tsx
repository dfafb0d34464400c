"use client";

import { updateFlowInputSchema } from "@parley/contract";
import {
  AlertDialog,
  Box,
  Button,
  Dialog,
  DropdownMenu,
  Flex,
  IconButton,
  Text,
  TextField,
} from "@radix-ui/themes";
import { MoreHorizontal } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { describeError } from "../../client/trpc";
import { issuesOf } from "../field";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useContractForm } from "../ui/form-controls";
import { TextFormField } from "../ui/form-field";

/** What can be managed: a bot or a flow (the words differ, the dialogs do not). */
export type ManagedKind = "bot" | "flow";

/** The rename form: the contract's name rule (bots and flows share it). */
const renameForm = updateFlowInputSchema.required({ name: true }).pick({ name: true });

/**
 * Renames a bot or flow in a modal dialog (Radix Dialog: focus trapped and returned, Escape closes);
 * the contract's name rule and the server's problem are shown under the field.
 */
export function RenameDialog({
  open,
  kind,
  name,
  busy,
  error,
  onRename,
  onClose,
}: {
  open: boolean;
  kind: ManagedKind;
  name: string;
  busy: boolean;
  error: unknown;
  onRename: (name: string) => void;
  onClose: () => void;
}) {
  const form = useContractForm(renameForm, { defaultValues: { name } });
  useEffect(() => {
    if (open) form.reset({ name });
  }, [open, name, form]);
  // The server's refusal is the name's problem (its field problem, or else what it said).
  useEffect(() => {
    if (error) form.setError("name", { message: issuesOf(error).name ?? describeError(error).message });
  }, [error, form]);
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !next && !busy && onClose()}>
      <Dialog.Content maxWidth="420px" aria-describedby={undefined}>
        <Dialog.Title>Rename {kind}</Dialog.Title>
        <form noValidate onSubmit={form.handleSubmit((values) => onRename(values.name))}>
          <TextFormField form={form} name="name" label="Name" autoFocus maxLength={200} />
          <Flex gap="3" mt="4" justify="end">
            <Dialog.Close>
              <Button type="button" variant="soft" color="gray" disabled={busy}>
                Cancel
              </Button>
            </Dialog.Close>
            <Button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Rename"}
            </Button>
          </Flex>
        </form>
      </Dialog.Content>
    </Dialog.Root>
  );
}

/**
 * Deletes a bot or flow for good, in an alert dialog. When the server answers that it has
 * conversations (`confirmName` problem), the dialog asks for its name to be typed and enables the
 * button only when it matches exactly.
 */
export function DeleteDialog({
  open,
  kind,
  name,
  busy,
  error,
  onDelete,
  onClose,
}: {
  open: boolean;
  kind: ManagedKind;
  name: string;
  busy: boolean;
  error: unknown;
  onDelete: (confirmName?: string) => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState("");
  const id = useId();
  useEffect(() => {
    if (open) setTyped("");
  }, [open]);
  const needsName = issuesOf(error).confirmName;
  const other = error && !needsName ? describeError(error).message : undefined;
  const owns =
    kind === "bot"
      ? "its flows, published versions, conversations, channels and knowledge"
      : "its versions and the conversations that ran on it";
  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !next && !busy && onClose()}>
      <AlertDialog.Content maxWidth="460px" aria-describedby={`${id}-body`}>
        <AlertDialog.Title>Delete “{name}” for good?</AlertDialog.Title>
        <Box id={`${id}-body`}>
          <Text as="p" size="2">
            The {kind} is deleted with {owns}. This cannot be undone; archive it instead to hide it and keep
            everything.
          </Text>
          {needsName && (
            <Flex direction="column" gap="1" mt="3">
              <Text size="2" color="red" role="alert">
                {needsName}
              </Text>
              <Text as="label" htmlFor={id} size="2" weight="medium">
                Type “{name}” to confirm
              </Text>
              <TextField.Root
                id={id}
                value={typed}
                autoFocus
                onChange={(event) => setTyped(event.target.value)}
              />
            </Flex>
          )}
          {other && (
            <Text as="p" size="2" color="red" role="alert" mt="2">
              {other}
            </Text>
          )}
        </Box>
        <Flex gap="3" mt="4" justify="end">
          <AlertDialog.Cancel>
            <Button variant="soft" color="gray" disabled={busy}>
              Cancel
            </Button>
          </AlertDialog.Cancel>
          <Button
            color="red"
            disabled={busy || (needsName !== undefined && typed !== name)}
            onClick={() => onDelete(needsName ? typed : undefined)}
          >
            {busy ? "Deleting…" : `Delete ${kind}`}
          </Button>
        </Flex>
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}

/** The archive confirmation (restorable, so plain words). */
export function ArchiveDialog({
  open,
  kind,
  name,
  busy,
  error,
  onArchive,
  onClose,
}: {
  open: boolean;
  kind: ManagedKind;
  name: string;
  busy: boolean;
  error: unknown;
  onArchive: () => void;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog
      open={open}
      title={`Archive “${name}”?`}
      confirmLabel={`Archive ${kind}`}
      busyLabel="Archiving…"
      busy={busy}
      onConfirm={onArchive}
      onClose={onClose}
    >
      <Text as="p" size="2">
        {kind === "bot"
          ? "The bot stops answering visitors and is hidden from the list. Nothing is deleted: restore it any time under “Show archived”."
          : "The flow is hidden from the bot's flows; conversations already in it finish. Restore it any time under “Show archived”."}
      </Text>
      {error ? (
        <Text as="p" size="2" color="red" role="alert" mt="2">
          {describeError(error).message}
        </Text>
      ) : null}
    </ConfirmDialog>
  );
}

/** What the row menu offers. */
export type ManageAction = "rename" | "duplicate" | "archive" | "restore" | "delete";

/** The "…" menu of a bot card or flow row (keyboard operable: Radix DropdownMenu). */
export function ManageMenu({
  name,
  archived,
  onAction,
}: {
  name: string;
  archived: boolean;
  onAction: (action: ManageAction) => void;
}) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger>
        <IconButton variant="ghost" color="gray" aria-label={`Actions for ${name}`}>
          <MoreHorizontal size={16} aria-hidden />
        </IconButton>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content>
        {archived ? (
          <DropdownMenu.Item onSelect={() => onAction("restore")}>Restore</DropdownMenu.Item>
        ) : (
          <>
            <DropdownMenu.Item onSelect={() => onAction("rename")}>Rename…</DropdownMenu.Item>
            <DropdownMenu.Item onSelect={() => onAction("duplicate")}>Duplicate</DropdownMenu.Item>
            <DropdownMenu.Item onSelect={() => onAction("archive")}>Archive…</DropdownMenu.Item>
          </>
        )}
        <DropdownMenu.Separator />
        <DropdownMenu.Item color="red" onSelect={() => onAction("delete")}>
          Delete…
        </DropdownMenu.Item>
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
