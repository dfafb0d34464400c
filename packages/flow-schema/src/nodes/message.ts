import { z } from "zod";
import { templateSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/** An image attached to a message. `url` and `alt` are templates. */
export const messageImageSchema = z
  .strictObject({
    url: templateSchema.min(1),
    alt: templateSchema.optional(),
  })
  .meta({ id: "MessageImage" });

/** A button on a card: opens a URL, or sends `value` (default: the label) as the user's message. */
export const cardButtonSchema = z
  .strictObject({
    label: z.string().min(1).max(80),
    url: templateSchema.min(1).optional(),
    value: z.string().max(1000).optional(),
  })
  .meta({ id: "CardButton" });

/** A rich card: title, optional subtitle and image, and up to 5 buttons. Texts are templates. */
export const messageCardSchema = z
  .strictObject({
    title: templateSchema.min(1),
    subtitle: templateSchema.optional(),
    imageUrl: templateSchema.min(1).optional(),
    buttons: z.array(cardButtonSchema).max(5).default([]),
  })
  .meta({ id: "MessageCard" });

/**
 * A suggested reply shown as a button; tapping it sends `value` (default: the label) as the
 * user's next message. Quick replies do not make the message node wait: the next waiting node
 * (usually an `ask`) receives the answer.
 */
export const quickReplySchema = z
  .strictObject({
    label: z.string().min(1).max(80),
    value: z.string().max(1000).optional(),
  })
  .meta({ id: "QuickReply" });

/**
 * Data of a `message` node: sends one bot message made of optional text, image and card, plus
 * quick replies. At least one of `text`, `image` or `card` is required. Output handle: `next`.
 */
export const messageNodeDataSchema = z
  .strictObject({
    text: templateSchema.optional().meta({ description: "Message text with {{ variable }} placeholders." }),
    image: messageImageSchema.optional(),
    card: messageCardSchema.optional(),
    quickReplies: z.array(quickReplySchema).max(13).default([]),
  })
  .refine((data) => data.text !== undefined || data.image !== undefined || data.card !== undefined, {
    message: "a message needs text, an image or a card",
  })
  .meta({ id: "MessageNodeData" });

/** Data of a `message` node. */
export type MessageNodeData = z.infer<typeof messageNodeDataSchema>;
/** An image attached to a message. */
export type MessageImage = z.infer<typeof messageImageSchema>;
/** A rich card in a message. */
export type MessageCard = z.infer<typeof messageCardSchema>;
/** A button on a card. */
export type CardButton = z.infer<typeof cardButtonSchema>;
/** A suggested reply. */
export type QuickReply = z.infer<typeof quickReplySchema>;

/** A `message` node. */
export const messageNodeSchema = defineNodeSchema("message", messageNodeDataSchema, "MessageNode");

/** A `message` node. */
export type MessageNode = z.infer<typeof messageNodeSchema>;
