import {
  listContactsQuerySchema,
  mergeContactsInputSchema,
  updateContactInputSchema,
} from "@parley/contract";
import {
  eraseContact,
  exportContact,
  getContact,
  listContacts,
  mergeContacts,
  updateContact,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const contactInput = z.object({ contactId: idSchema });

/**
 * Contacts, each a call of @parley/core (the REST API's `/api/v1/contacts...` call the same):
 * reading needs `conversations:read`; edit, merge and erase `conversations:write`.
 */
export const contactsRouter = router({
  list: tenantProcedure("conversations:read")
    .input(listContactsQuerySchema)
    .query(({ ctx, input }) => listContacts(serviceContext(ctx), input)),
  get: tenantProcedure("conversations:read")
    .input(contactInput)
    .query(({ ctx, input }) => getContact(serviceContext(ctx), input.contactId)),
  update: tenantProcedure("conversations:write")
    .input(updateContactInputSchema.extend(contactInput.shape))
    .mutation(({ ctx, input: { contactId, ...patch } }) =>
      updateContact(serviceContext(ctx), contactId, patch),
    ),
  merge: tenantProcedure("conversations:write")
    .input(mergeContactsInputSchema.extend(contactInput.shape))
    .mutation(({ ctx, input: { contactId, ...merge } }) =>
      mergeContacts(serviceContext(ctx), contactId, merge),
    ),
  export: tenantProcedure("conversations:read")
    .input(contactInput)
    .query(({ ctx, input }) => exportContact(serviceContext(ctx), input.contactId)),
  erase: tenantProcedure("conversations:write")
    .input(contactInput)
    .mutation(({ ctx, input }) => eraseContact(serviceContext(ctx), input.contactId)),
});
