"use client";

import { AlertDialog, Box, Button, Flex } from "@radix-ui/themes";
import { type ReactNode, useId, useState } from "react";

/** What {@link ConfirmDialog} shows and does. */
export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  /** The confirm button destroys something (styled as such). */
  danger?: boolean;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/**
 * A modal confirmation on Radix AlertDialog (role `alertdialog`, focus trapped and returned, Escape
 * and Cancel close it, the page behind inert), labelled by its title and described by its body.
 * Controlled: the caller holds `open` and closes it after the action (so a failed action can stay).
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busyLabel = "Working…",
  danger,
  busy,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const bodyId = useId();
  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !next && !busy && onClose()}>
      {/* The body may hold paragraphs and lists (Description is a <p>): it is linked by id instead. */}
      <AlertDialog.Content maxWidth="440px" aria-describedby={bodyId}>
        <AlertDialog.Title>{title}</AlertDialog.Title>
        <Box id={bodyId} className="confirm-body">
          {children}
        </Box>
        <Flex gap="3" mt="4" justify="end">
          <AlertDialog.Cancel>
            <Button variant="soft" color="gray" disabled={busy}>
              Cancel
            </Button>
          </AlertDialog.Cancel>
          <Button color={danger ? "red" : undefined} onClick={onConfirm} disabled={busy}>
            {busy ? busyLabel : confirmLabel}
          </Button>
        </Flex>
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}

/**
 * A button that asks before acting (the replacement for `window.confirm`): it opens a
 * {@link ConfirmDialog}; confirming runs `onConfirm` (which may return a promise: the dialog stays
 * open and busy until it settles, and closes when it succeeds).
 */
export function ConfirmButton({
  children,
  title,
  description,
  confirmLabel,
  danger = true,
  disabled,
  size = "1",
  variant = "soft",
  onConfirm,
  "aria-label": ariaLabel,
}: {
  /** The button's own text. */
  children: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  disabled?: boolean;
  size?: "1" | "2" | "3";
  variant?: "soft" | "solid" | "outline" | "ghost" | "surface";
  onConfirm: () => unknown;
  "aria-label"?: string;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button
        type="button"
        size={size}
        variant={variant}
        color={danger ? "red" : undefined}
        disabled={disabled}
        aria-label={ariaLabel}
        onClick={() => setOpen(true)}
      >
        {children}
      </Button>
      <ConfirmDialog
        open={open}
        title={title}
        confirmLabel={confirmLabel}
        danger={danger}
        busy={busy}
        onClose={() => setOpen(false)}
        onConfirm={async () => {
          setBusy(true);
          try {
            await onConfirm();
            setOpen(false);
          } catch {
            // The caller shows the failure (its mutation's error); the dialog stays open to retry.
          } finally {
            setBusy(false);
          }
        }}
      >
        {description}
      </ConfirmDialog>
    </>
  );
}
