/**
 * The live agent inbox: take over / claim / assign / transfer, internal notes, typing, CSAT, the
 * queue with summaries and unread counts, presence, per-agent bot access, and the per-conversation
 * event stream (pub/sub fan-out after every commit).
 */
export { setAgentBotAccess } from "./agent-bot-access";
export {
  assignConversation,
  claimConversation,
  takeOverConversation,
  transferConversation,
} from "./assignment";
export { visibleBotIds } from "./bot-access";
export { conversationChannel, inboxChannel } from "./conversation-events";
export { submitCsat } from "./csat";
export { endFromInbox } from "./end-handoff";
export {
  type ConversationEventOptions,
  type ConversationEventSink,
  openConversationEvents,
} from "./event-stream";
export { type HandBackTarget, handBackTargets } from "./handback-targets";
export { listInbox, markInboxRead } from "./inbox-queue";
export { getInboxState } from "./inbox-state";
export { addInboxNote, listInboxNotes } from "./notes";
export { listAgents, PRESENCE_TTL_MS, setPresence } from "./presence";
export { extractiveSummary, summarizeConversation } from "./summary";
export { reportTyping } from "./typing";
