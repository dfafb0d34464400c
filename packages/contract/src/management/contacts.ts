import { z } from "zod";
import { channelSchema } from "../conversations";
import { conversationSummarySchema } from "./conversations";
import { idParamsSchema } from "./params";

/** `{contactId}` in a path. */
export const contactIdParamsSchema = idParamsSchema("contactId", "The contact's id");

/** `GET /api/v1/contacts` query: search by name, e-mail or phone, newest seen first, cursor paging. */
export const listContactsQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional().describe("Part of the name, e-mail, phone or channel user id"),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().optional().describe("`nextCursor` of the previous page"),
  })
  .strict();

/** One channel-specific id of a contact. */
export const contactIdentitySchema = z.object({
  channel: channelSchema,
  externalId: z.string(),
  createdAt: z.string(),
});

/** A contact as lists show it. */
export const contactViewSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** Free attributes, including the values of contact-scoped flow variables. */
  attributes: z.record(z.string(), z.unknown()),
  identities: z.array(contactIdentitySchema),
  conversationCount: z.number().int(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
});
/** A contact as lists show it. */
export type ContactView = z.infer<typeof contactViewSchema>;

/** A page of contacts. */
export const contactPageSchema = z.object({
  items: z.array(contactViewSchema),
  nextCursor: z.string().nullable(),
});

/** A contact's profile: the contact and every conversation of it, across bots and channels. */
export const contactDetailSchema = contactViewSchema.extend({
  conversations: z.array(conversationSummarySchema.extend({ botId: z.string(), botName: z.string() })),
});
/** A contact's profile. */
export type ContactDetail = z.infer<typeof contactDetailSchema>;

/** `PATCH /api/v1/contacts/{contactId}` body: the fields to change (`null` clears one). */
export const updateContactInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).nullable().optional(),
    email: z.email().max(320).nullable().optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{3,40}$/, "a phone number: digits, spaces and + ( ) . / -")
      .nullable()
      .optional(),
    /** Replaces the attributes (send the whole object). */
    attributes: z.record(z.string().min(1).max(100), z.unknown()).optional(),
  })
  .strict();

/** `POST /api/v1/contacts/{contactId}/merge` body: the contact merged into this one (then deleted). */
export const mergeContactsInputSchema = z
  .object({ sourceContactId: z.string().min(1).max(100).describe("The contact to merge into this one") })
  .strict();

/** `GET /api/v1/contacts/{contactId}/export`: everything stored about a contact (GDPR access). */
export const contactExportSchema = z.object({
  exportedAt: z.string(),
  contact: contactViewSchema,
  conversations: z.array(
    z.object({
      conversationId: z.string(),
      botId: z.string(),
      channel: z.string(),
      status: z.string(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
      variables: z.record(z.string(), z.unknown()),
      messages: z.array(
        z.object({ seq: z.number().int(), author: z.string(), createdAt: z.string(), message: z.unknown() }),
      ),
    }),
  ),
});
/** Everything stored about a contact. */
export type ContactExport = z.infer<typeof contactExportSchema>;

/** `DELETE /api/v1/contacts/{contactId}` answer: what the erasure removed. */
export const contactErasureSchema = z.object({
  erased: z.literal(true),
  conversations: z.number().int(),
  messages: z.number().int(),
  identities: z.number().int(),
  analyticsEvents: z.number().int(),
});
/** What an erasure removed. */
export type ContactErasure = z.infer<typeof contactErasureSchema>;
