"use client";

import { type QueryKey, type UseMutationOptions, useMutation, useQueryClient } from "@tanstack/react-query";

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
 * A list row's Edit and Delete buttons. With `confirm`, Delete asks that question first;
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
      <button className="small" type="button" onClick={onEdit}>
        Edit
      </button>
      <button
        className="small danger"
        type="button"
        onClick={() => (confirm === undefined || window.confirm(confirm)) && onDelete()}
        aria-label={deleteLabel}
      >
        Delete
      </button>
    </>
  );
}
