import { createNoteRequestSchema, type InboxNote } from "@parley/contract";
import type { z } from "zod";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";
import { newId } from "../internal/ids";
import { publishConversationNotice } from "./conversation-events";
import { storeNoteSignal } from "./conversation-signals";
import { auditInboxAction } from "./inbox-audit";
import { readInboxRow } from "./inbox-state";

type NoteRow = {
  id: string;
  conversationId: string;
  authorUserId: string | null;
  authorLabel: string;
  text: string;
  createdAt: Date;
};

const viewOf = (row: NoteRow): InboxNote => ({
  id: row.id,
  conversationId: row.conversationId,
  authorUserId: row.authorUserId,
  authorLabel: row.authorLabel,
  text: row.text,
  createdAt: row.createdAt.toISOString(),
});

/**
 * Writes an internal note on a conversation: agents see it in the inbox (live, on the event stream
 * of members and secret keys), the visitor never does (it is not a message). Needs `conversations:agent`.
 */
export async function addInboxNote(
  ctx: ServiceContext,
  conversationId: string,
  input: z.input<typeof createNoteRequestSchema>,
): Promise<InboxNote> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(createNoteRequestSchema, input, "note");
  await readInboxRow(ctx, conversationId);
  const row = await tenantDb(ctx).inboxNote.create({
    data: {
      id: newId(),
      tenantId: ctx.tenantId,
      conversationId,
      authorUserId: ctx.actor.type === "user" ? ctx.actor.userId : null,
      authorLabel: ctx.actor.label,
      text: data.text,
      createdAt: nowOf(ctx.deps),
    },
  });
  const note = viewOf(row);
  await storeNoteSignal(ctx, conversationId);
  // The note's id only: its text may be about the visitor.
  await auditInboxAction(ctx, "note", conversationId, { noteId: note.id });
  await publishConversationNotice(ctx, conversationId, { kind: "note", note });
  return note;
}

/** A conversation's internal notes, oldest first. Needs `conversations:agent`. */
export async function listInboxNotes(
  ctx: ServiceContext,
  conversationId: string,
): Promise<{ items: InboxNote[] }> {
  authorize(ctx, "conversations:agent");
  await readInboxRow(ctx, conversationId);
  const rows = await tenantDb(ctx).inboxNote.findMany({
    where: { conversationId },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  return { items: rows.map(viewOf) };
}

/** A conversation's `count` newest notes, oldest first (internal: event streams). */
export async function newestNotes(
  ctx: ServiceContext,
  conversationId: string,
  count: number,
): Promise<InboxNote[]> {
  const rows = await tenantDb(ctx).inboxNote.findMany({
    where: { conversationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(count, 100),
  });
  return rows.reverse().map(viewOf);
}
