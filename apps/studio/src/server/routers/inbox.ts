import {
  assignRequestSchema,
  createNoteRequestSchema,
  inboxQuerySchema,
  sendMessageRequestSchema,
  setPresenceRequestSchema,
  takeoverRequestSchema,
  transferRequestSchema,
} from "@parley/contract";
import {
  addInboxNote,
  assignConversation,
  claimConversation,
  endFromInbox,
  getConversation,
  getInboxState,
  handBackTargets,
  listAgents,
  listInbox,
  listInboxNotes,
  markInboxRead,
  reportTyping,
  resolveHandoff,
  sendMessage,
  setPresence,
  summarizeConversation,
  takeOverConversation,
  transferConversation,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const conversation = z.object({ conversationId: idSchema });

/** The live agent inbox (REST twins under /api/v1/inbox and /api/v1/conversations/{id}/...). */
export const inboxRouter = router({
  list: tenantProcedure("conversations:agent")
    .input(inboxQuerySchema.optional())
    .query(({ ctx, input }) => listInbox(serviceContext(ctx), input ?? {})),
  agents: tenantProcedure("conversations:agent").query(({ ctx }) => listAgents(serviceContext(ctx))),
  setPresence: tenantProcedure("conversations:agent")
    .input(setPresenceRequestSchema)
    .mutation(async ({ ctx, input }) => {
      await setPresence(serviceContext(ctx), input);
      return { ok: true };
    }),
  transcript: tenantProcedure("conversations:read")
    .input(conversation)
    .query(({ ctx, input }) => getConversation(serviceContext(ctx), input.conversationId)),
  state: tenantProcedure("conversations:read")
    .input(conversation)
    .query(({ ctx, input }) => getInboxState(serviceContext(ctx), input.conversationId)),
  summary: tenantProcedure("conversations:agent")
    .input(conversation)
    .query(({ ctx, input }) => summarizeConversation(serviceContext(ctx), input.conversationId)),
  notes: tenantProcedure("conversations:agent")
    .input(conversation)
    .query(({ ctx, input }) => listInboxNotes(serviceContext(ctx), input.conversationId)),
  addNote: tenantProcedure("conversations:agent")
    .input(conversation.extend(createNoteRequestSchema.shape))
    .mutation(({ ctx, input }) =>
      addInboxNote(serviceContext(ctx), input.conversationId, { text: input.text }),
    ),
  takeover: tenantProcedure("conversations:agent")
    .input(conversation.extend(takeoverRequestSchema.shape))
    .mutation(({ ctx, input }) => {
      const { conversationId, ...body } = input;
      return takeOverConversation(serviceContext(ctx), conversationId, body);
    }),
  claim: tenantProcedure("conversations:agent")
    .input(conversation)
    .mutation(({ ctx, input }) => claimConversation(serviceContext(ctx), input.conversationId)),
  assign: tenantProcedure("conversations:agent")
    .input(conversation.extend(assignRequestSchema.shape))
    .mutation(({ ctx, input }) =>
      assignConversation(serviceContext(ctx), input.conversationId, { userId: input.userId }),
    ),
  transfer: tenantProcedure("conversations:agent")
    .input(z.object({ conversationId: idSchema, to: transferRequestSchema }))
    .mutation(({ ctx, input }) => transferConversation(serviceContext(ctx), input.conversationId, input.to)),
  reply: tenantProcedure("conversations:agent")
    .input(z.object({ conversationId: idSchema, message: sendMessageRequestSchema }))
    .mutation(({ ctx, input }) =>
      sendMessage(serviceContext(ctx), input.conversationId, { ...input.message, author: "agent" }),
    ),
  typing: tenantProcedure("conversations:agent")
    .input(conversation.extend({ typing: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await reportTyping(serviceContext(ctx), input.conversationId, { typing: input.typing });
      return { ok: true };
    }),
  markRead: tenantProcedure("conversations:agent")
    .input(conversation.extend({ seq: z.number().int().nonnegative() }))
    .mutation(async ({ ctx, input }) => {
      await markInboxRead(serviceContext(ctx), input.conversationId, { seq: input.seq });
      return { ok: true };
    }),
  handBack: tenantProcedure("conversations:agent")
    .input(conversation.extend({ nodeId: z.string().min(1).max(200).optional() }))
    .mutation(({ ctx, input }) =>
      resolveHandoff(serviceContext(ctx), input.conversationId, input.nodeId ? { nodeId: input.nodeId } : {}),
    ),
  handBackTargets: tenantProcedure("conversations:agent")
    .input(conversation)
    .query(({ ctx, input }) => handBackTargets(serviceContext(ctx), input.conversationId)),
  close: tenantProcedure("conversations:agent")
    .input(conversation)
    .mutation(({ ctx, input }) => endFromInbox(serviceContext(ctx), input.conversationId)),
});
