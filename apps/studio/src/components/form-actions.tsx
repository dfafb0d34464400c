"use client";
import { Button, Flex } from "@radix-ui/themes";

import type { ReactNode } from "react";

/**
 * A form's buttons: submit (disabled, "Saving…", while the save runs), Cancel when the form can be
 * closed, and whatever else the form shows next to them (a Clear button, a "Saved." status).
 */
export function FormActions({
  label,
  pending,
  pendingLabel = "Saving…",
  onCancel,
  children,
}: {
  /** The submit button's text, e.g. "Save route". */
  label: ReactNode;
  pending: boolean;
  /** The submit button's text while the save runs. */
  pendingLabel?: ReactNode;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  return (
    <Flex gap="2" align="center" mt="4" wrap="wrap">
      <Button type="submit" disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
      {onCancel && (
        <Button variant="soft" color="gray" type="button" onClick={onCancel}>
          Cancel
        </Button>
      )}
      {children}
    </Flex>
  );
}
