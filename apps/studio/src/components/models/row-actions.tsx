"use client";

import { Button } from "@radix-ui/themes";
import { type QueryKey, type UseMutationOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmButton } from "../ui/confirm-dialog";

/** A list's delete call, which makes the list's queries (`invalidates`) stale when it succeeds. */
export function useDeleteRow<TData, TError, TVariables, TContext>(
  mutation: UseMutationOptions<TData, TError, TVariables, TContext>,
  invalidates: QueryKey,
) {
  const queryClient = useQueryClient();
  return useMutation({
    ...mutation,
    onSuccess: async (...args) => {
      await mutation.onSuccess?.(...args);
      await queryClient.invalidateQueries({ queryKey: invalidates });
    },
  });
}

/**
 * A list row's Edit and Delete buttons. With `confirm`, Delete asks that question first (in an
 * accessible dialog);
 * `deleteLabel` names what Delete removes for screen readers where the row does not say.
 */
export function EditDeleteButtons({
  onEdit,
  onDelete,
  confirm,
  deleteLabel,
}: {
  onEdit: () => void;
  onDelete: () => void;
  confirm?: string;
  deleteLabel?: string;
}) {
  return (
    <>
      <Button size="1" variant="soft" type="button" onClick={onEdit}>
        Edit
      </Button>
      {confirm === undefined ? (
        <Button size="1" variant="soft" color="red" type="button" onClick={onDelete} aria-label={deleteLabel}>
          Delete
        </Button>
      ) : (
        <ConfirmButton
          title={confirm}
          description="This cannot be undone."
          confirmLabel="Delete"
          onConfirm={onDelete}
          aria-label={deleteLabel}
        >
          Delete
        </ConfirmButton>
      )}
    </>
  );
}
