"use client";

import { ConfirmDialog as GenericConfirmDialog } from "../ui/confirm-dialog";

/** The experiments tab's confirmation (the shared {@link GenericConfirmDialog}, busy while publishing). */
export function ConfirmDialog(props: Omit<React.ComponentProps<typeof GenericConfirmDialog>, "busyLabel">) {
  return <GenericConfirmDialog {...props} busyLabel="Publishing…" />;
}
