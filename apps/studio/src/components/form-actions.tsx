"use client";
import { Button } from "@radix-ui/themes";

import type { ReactNode } from "react";

/**
 * A form's buttons: submit ("Saving…" while the save runs), Cancel when the form can be closed, and
 * whatever else the form shows next to them (a Clear button, a "Saved." status).
 */
export function FormActions({
  label,
  pending,
  onCancel,
  children,
}: {
  /** The submit button's text, e.g. "Save route". */
  label: string;
  pending: boolean;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="form-actions">
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : label}
      </Button>
      {onCancel && (
        <Button variant="soft" color="gray" type="button" onClick={onCancel}>
          Cancel
        </Button>
      )}
      {children}
    </div>
  );
}
